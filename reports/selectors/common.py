"""What every report selector shares: percentiles, business-day arithmetic, caching."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from orders.choices import OrderStatus
from refresh.choices import TicketStatus
from scheduling.calendar import business_calendar

S = TicketStatus
WEEKS_SHOWN = 12
DEFAULT_STUCK_DAYS = 5
OPEN_ORDER_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)
METRIC_PROBLEMS = "refresh_problems"


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's ``percentile_cont``)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = p * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _durations_by_group(
    qs: QuerySet, *, group: tuple[str, ...], duration: str
) -> dict[tuple, dict]:
    """Median, 90th percentile (in days) and count of the stored ``duration`` (in
    seconds) per ``group``, over a ``values(*group, duration)`` queryset of rows that
    have one. One query.

    With an index on ``(*group, duration)`` PostgreSQL reads it in order (index
    only) and each group's percentiles sort rows that are already sorted.
    """
    result: dict[tuple, dict] = {}
    if connection.vendor == "postgresql":
        sql, params = qs.query.sql_with_params()
        cols = ", ".join(f's."{name}"' for name in group)
        query = (
            f'SELECT {cols}, percentile_cont(0.5) WITHIN GROUP (ORDER BY s."{duration}"), '
            f'percentile_cont(0.9) WITHIN GROUP (ORDER BY s."{duration}"), COUNT(*) '
            f"FROM ({sql}) s GROUP BY {cols} ORDER BY {cols}"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for *key, p50, p90, n in cursor.fetchall():
                result[tuple(key)] = {
                    "median": p50 / 86400.0,
                    "p90": p90 / 86400.0,
                    "count": n,
                }
        return result
    spans: dict[tuple, list[float]] = defaultdict(list)
    for row in qs:
        spans[tuple(row[name] for name in group)].append(row[duration] / 86400.0)
    for key, values in spans.items():
        result[key] = {
            "median": percentile(values, 0.5),
            "p90": percentile(values, 0.9),
            "count": len(values),
        }
    return result


def _week_starts(weeks: int, *, today: dt.date | None = None) -> list[dt.date]:
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def business_days_ago(n: int, *, today: dt.date | None = None) -> dt.date:
    """The date ``n`` business days before ``today`` (business calendar)."""
    calendar = business_calendar()
    day = today or timezone.localdate()
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_business_day(day):
            n -= 1
    return day


# Dashboards scan whole tables; a computed dashboard is kept this long per
# filter set, so people paging between dashboards and filters do not rescan.
DASHBOARD_TTL = 60


def cached(key: str, compute):
    """``compute()`` once per ``DASHBOARD_TTL`` for ``key`` (shared by every viewer:
    dashboards hold aggregates only, and their views check access first)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=DASHBOARD_TTL)
    return value
