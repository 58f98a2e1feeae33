"""Time logged on requests (issue 13) in the order desk dashboard and as an export.

Reads go through ``orders.selectors``; ``reports.exports`` registers the export."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from orders.selectors import time_entries_for_export, time_logged_between

# The dashboard's table covers the last four weeks.
TIME_LOGGED_DAYS = 28

TIME_COLUMNS = ("Day", "Order", "Person", "Minutes", "Billable", "Action", "Note")
_TIME_FIELDS = (
    "worked_on",
    "order__number",
    "person__full_name",
    "person__email",
    "minutes",
    "billable",
    "action__name",
    "note",
)


def dashboard_time_logged(*, queue_id: int | None = None) -> dict:
    """Minutes per person over the last four weeks (total and billable) and the sums."""
    end = timezone.localdate()
    start = end - dt.timedelta(days=TIME_LOGGED_DAYS - 1)
    rows = [
        {
            "person": row["person__full_name"] or row["person__email"],
            "minutes": row["total"] or 0,
            "billable": row["billable_total"] or 0,
        }
        for row in time_logged_between(start=start, end=end, queue_id=queue_id)
    ]
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "total": sum(r["minutes"] for r in rows),
        "billable": sum(r["billable"] for r in rows),
    }


def _day(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def time_export_rows(user, params: QueryDict) -> QuerySet:
    """Time entries for the export, optionally from/to a day (``?start=…&end=…``)."""
    return time_entries_for_export(
        user=user, start=_day(params.get("start", "")), end=_day(params.get("end", ""))
    ).values_list(*_TIME_FIELDS)


def time_export_cells(row: tuple) -> tuple:
    day, number, name, email, minutes, billable, action, note = row
    return (day, number, name or email, minutes, "yes" if billable else "no", action or "", note)
