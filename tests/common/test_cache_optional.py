"""The cache is optional (issue 20): with it down, transitions still commit and
reads fall back to the database; invalidations are made after commit."""

import datetime as dt

import pytest
from django.core.cache import cache

from refresh import services
from refresh.choices import TicketStatus
from refresh.selectors import status_counts
from scheduling.calendar import business_calendar, invalidate_business_calendar
from scheduling.models import ClosureDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("cache is down")

    for name in ("get", "set", "delete", "incr"):
        monkeypatch.setattr(cache, name, refuse)


def test_a_transition_commits_and_counts_read_the_database_while_the_cache_is_down(
    flow, manager, cache_down, django_capture_on_commit_callbacks
):
    ticket = flow.new()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_send_invite(ticket=ticket, job="invites")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.PENDING_CUSTOMER
    assert status_counts(user=manager)[TicketStatus.PENDING_CUSTOMER] == 1


def test_the_business_calendar_reads_closures_from_the_database_while_the_cache_is_down(
    cache_down,
):
    day = dt.date(2026, 12, 2)  # a Wednesday
    assert business_calendar().is_business_day(day)
    ClosureDay.objects.create(date=day, name="Snow day", open=False)
    invalidate_business_calendar()
    assert not business_calendar().is_business_day(day)
