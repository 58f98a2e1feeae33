"""The order pages' timeline times read as the ``date`` filter prints them."""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from orders.views.timeline_rows import when


def test_when_prints_what_the_date_filter_prints_at_every_hour_of_a_year():
    start = dt.datetime(2026, 1, 1, 0, 7, tzinfo=dt.UTC)
    for step in range(0, 365 * 24, 7):
        moment = start + dt.timedelta(hours=step, minutes=step % 60)
        local = timezone.localtime(moment)
        shown = when(moment)
        assert shown.text == date_filter(local, "M j, Y g:i A"), moment
        assert shown.iso == date_filter(local, "c"), moment
