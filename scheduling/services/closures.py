"""Closure days: dates the business calendar closes (or opens on purpose)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..calendar import invalidate_business_calendar
from ..models import ClosureDay


def _closures_changed() -> None:
    """Make every process rebuild its business calendar.

    Now, so this transaction sees the change; again after commit, so another
    process that rebuilt meanwhile from the old committed rows rebuilds again.
    """
    invalidate_business_calendar()
    transaction.on_commit(invalidate_business_calendar)


@transaction.atomic
def closure_day_set(*, date: dt.date, name: str, open: bool = False) -> ClosureDay:  # noqa: A002
    """Close (or, with ``open=True``, open) a date in the business calendar."""
    closure, _ = ClosureDay.objects.update_or_create(
        date=date, defaults={"name": name, "open": open}
    )
    _closures_changed()
    return closure


@transaction.atomic
def closure_day_save(*, closure: ClosureDay) -> ClosureDay:
    """Save a closure day edited in a form (the admin) and refresh the calendar."""
    closure.save()
    _closures_changed()
    return closure


@transaction.atomic
def closure_days_delete(*, closures) -> int:
    """Delete the given closure days (a queryset or a list); the dates follow the calendar again."""
    ids = [c.pk for c in closures]
    deleted, _ = ClosureDay.objects.filter(pk__in=ids).delete()
    _closures_changed()
    return deleted
