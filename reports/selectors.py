"""Read-only aggregates for the dashboards and the forecast.

Each dashboard is a fixed, small number of GROUP BY queries over the other
apps' tables (never one query per ticket or order): the query count does not
depend on the data size. Percentiles use PostgreSQL's ``percentile_cont``;
on SQLite (the embedded mode) the durations are fetched and ranked in Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Lag, Lead, TruncDate, TruncWeek
from django.utils import timezone

from accounts.models import SupportTeam, User
from accounts.roles import ROLE_GROUP_NAMES, STAFF_ROLES
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.models import Order, OrderAction, OrderQueue
from refresh.choices import FINAL_STATUSES, TicketStatus
from refresh.models import RefreshBatch, RefreshConfig, RefreshTicket, RefreshTicketAudit
from refresh.selectors import ticket_problems
from scheduling.calendar import business_calendar
from scheduling.selectors import slots_live

from .models import MetricSnapshot, SavedView

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
    qs: QuerySet, *, group: tuple[str, ...], end: str, start: str
) -> dict[tuple, dict]:
    """Median, 90th percentile (in days) and count of ``end - start`` per ``group``.

    ``qs`` is a ``values(*group, start, end)`` queryset (window annotations allowed).
    One query.
    """
    result: dict[tuple, dict] = {}
    if connection.vendor == "postgresql":
        sql, params = qs.query.sql_with_params()
        cols = ", ".join(f's."{name}"' for name in group)
        span = f'EXTRACT(EPOCH FROM (s."{end}" - s."{start}")) / 86400.0'
        query = (
            f"SELECT {cols}, percentile_cont(0.5) WITHIN GROUP (ORDER BY {span}), "
            f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {span}), COUNT(*) "
            f'FROM ({sql}) s WHERE s."{end}" IS NOT NULL AND s."{start}" IS NOT NULL '
            f"GROUP BY {cols}"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for *key, p50, p90, n in cursor.fetchall():
                result[tuple(key)] = {"median": float(p50), "p90": float(p90), "count": n}
        return result
    spans: dict[tuple, list[float]] = defaultdict(list)
    for row in qs:
        if row[end] is None or row[start] is None:
            continue
        spans[tuple(row[name] for name in group)].append(
            (row[end] - row[start]).total_seconds() / 86400.0
        )
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


def business_days_ago(n: int, *, today: dt.date | None = None) -> dt.date:
    """The date ``n`` business days before ``today`` (business calendar)."""
    calendar = business_calendar()
    day = today or timezone.localdate()
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_business_day(day):
            n -= 1
    return day


# --- refresh dashboard -----------------------------------------------------------------
@dataclass(frozen=True)
class RefreshDashboardFilters:
    config: int | None = None
    batch: int | None = None
    team: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    stuck_days: int = DEFAULT_STUCK_DAYS


@dataclass
class RefreshDashboard:
    funnel: list[tuple[str, str, int]]
    burndown: list[tuple[dt.date, int]]
    installs: list[dict]
    installs_by_week: list[tuple[dt.date, int, int]]
    durations: list[dict]
    stuck: list[tuple[str, str, int]]
    approvals: list[tuple[str, int]]
    problems: list[tuple[dt.date, int]]
    stuck_before: dt.date
    choices: dict = field(default_factory=dict)


def _scope(filters: RefreshDashboardFilters, prefix: str = "") -> Q:
    """The config / batch / team filters on tickets (``prefix`` reaches them from audits)."""
    wanted = {"config_id": filters.config, "batch_id": filters.batch}
    wanted["support_team_id"] = filters.team
    return Q(**{f"{prefix}{name}": value for name, value in wanted.items() if value})


def _tickets(filters: RefreshDashboardFilters) -> QuerySet[RefreshTicket]:
    qs = RefreshTicket.objects.order_by().filter(_scope(filters))
    if filters.start:
        qs = qs.filter(created_at__gte=_local_midnight(filters.start))
    if filters.end:
        qs = qs.filter(created_at__lt=_local_midnight(filters.end + dt.timedelta(days=1)))
    return qs


def _is_filtered(filters: RefreshDashboardFilters) -> bool:
    return any((filters.config, filters.batch, filters.team, filters.start, filters.end))


def refresh_funnel(*, tickets: QuerySet) -> list[tuple[str, str, int]]:
    """(status, label, tickets now) in the lifecycle's order; one query."""
    found = dict(tickets.values_list("status").annotate(n=Count("id")))
    return [(s.value, s.label, found.get(s.value, 0)) for s in S]


def refresh_burndown(
    *, tickets: QuerySet, until: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """Open tickets at the end of each day from the first ticket's day; two queries.

    Final tickets (complete, cancelled) never leave their status, so the day
    they closed is the day of their last status change.
    """
    created = dict(
        tickets.annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    closed = dict(
        tickets.filter(status__in=FINAL_STATUSES)
        .annotate(day=TruncDate("status_changed_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    if not created:
        return []
    day = min(created)
    last = max(until or timezone.localdate(), max(created), max(closed, default=day))
    series, open_now = [], 0
    while day <= last:
        open_now += created.get(day, 0) - closed.get(day, 0)
        series.append((day, open_now))
        day += dt.timedelta(days=1)
    return series


def refresh_installs_vs_capacity(
    *, filters: RefreshDashboardFilters, weeks: int = WEEKS_SHOWN
) -> tuple[list[dict], list[tuple[dt.date, int, int]]]:
    """Installs per week and team against the team's slot capacity that week; two queries.

    Installs are the audit rows of transitions to ``installed`` (when it happened).
    """
    starts = _week_starts(weeks)
    since = _local_midnight(starts[0])
    audits = RefreshTicketAudit.objects.filter(
        _scope(filters, "ticket__"), to_status=S.INSTALLED, created_at__gte=since
    )
    installs = (
        audits.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values_list("week", "ticket__support_team__name")
        .annotate(n=Count("id"))
    )
    slots = slots_live().filter(start__gte=since).order_by()
    if filters.team:
        slots = slots.filter(team_id=filters.team)
    capacity = (
        slots.annotate(week=TruncWeek("start"))
        .values_list("week", "team__name")
        .annotate(n=Sum("capacity"))
    )
    cells: dict[tuple, dict] = {}
    for week, team, n in installs:
        key = (_as_date(week), team or "No team")
        cells.setdefault(key, {"installs": 0, "capacity": 0})["installs"] = n
    for week, team, n in capacity:
        key = (_as_date(week), team)
        cells.setdefault(key, {"installs": 0, "capacity": 0})["capacity"] = n or 0
    rows = [
        {"week": week, "team": team, **values}
        for (week, team), values in sorted(cells.items())
        if week in set(starts)
    ]
    totals = []
    for week in starts:
        week_rows = [r for r in rows if r["week"] == week]
        totals.append(
            (
                week,
                sum(r["installs"] for r in week_rows),
                sum(r["capacity"] for r in week_rows),
            )
        )
    return rows, totals


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def refresh_status_durations(*, filters: RefreshDashboardFilters) -> list[dict]:
    """Median and 90th percentile of days spent in each status (finished stays); one query.

    A stay starts at the audit row entering a status and ends at the ticket's next one.
    """
    audits = RefreshTicketAudit.objects.order_by()
    if _is_filtered(filters):
        audits = audits.filter(ticket__in=_tickets(filters).values("pk"))
    qs = audits.annotate(
        left_at=Window(
            Lead("created_at"),
            partition_by=[F("ticket_id")],
            order_by=[F("created_at").asc(), F("id").asc()],
        )
    ).values("to_status", "created_at", "left_at")
    found = _durations_by_group(qs, group=("to_status",), start="created_at", end="left_at")
    rows = []
    for status in S:
        stats = found.get((status.value,))
        if stats:
            rows.append({"status": status.value, "label": status.label, **stats})
    return rows


def refresh_stuck(
    *, tickets: QuerySet, business_days: int
) -> tuple[list[tuple[str, str, int]], dt.date]:
    """Open tickets in their status for longer than ``business_days``, per status; one query."""
    before = business_days_ago(business_days)
    found = dict(
        tickets.exclude(status__in=FINAL_STATUSES)
        .filter(status_changed_at__lt=_local_midnight(before))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    rows = [(s.value, s.label, found[s.value]) for s in S if found.get(s.value)]
    return rows, before


def refresh_approvals_waiting(*, tickets: QuerySet) -> list[tuple[str, int]]:
    """Tickets pending approval per approver of their config, most first; one query."""
    rows = (
        tickets.filter(status=S.PENDING_APPROVAL, config__approvers__isnull=False)
        .values_list("config__approvers__full_name", "config__approvers__email")
        .annotate(n=Count("id"))
    )
    result = [(name or email, n) for name, email, n in rows]
    return sorted(result, key=lambda row: (-row[1], row[0]))


def metric_history(*, name: str, days: int = 90) -> list[tuple[dt.date, int]]:
    since = timezone.localdate() - dt.timedelta(days=days)
    return list(
        MetricSnapshot.objects.filter(name=name, date__gte=since)
        .order_by("date")
        .values_list("date", "value")
    )


def refresh_problems_now(*, user) -> int:
    return ticket_problems(user=user).order_by().count()


def refresh_dashboard(*, user, filters: RefreshDashboardFilters) -> RefreshDashboard:
    """Everything the refresh dashboard shows (a fixed number of queries)."""
    tickets = _tickets(filters)
    installs, installs_by_week = refresh_installs_vs_capacity(filters=filters)
    stuck, before = refresh_stuck(tickets=tickets, business_days=filters.stuck_days)
    problems = metric_history(name=METRIC_PROBLEMS)
    today = timezone.localdate()
    problems = [row for row in problems if row[0] != today]
    problems.append((today, refresh_problems_now(user=user)))
    return RefreshDashboard(
        funnel=refresh_funnel(tickets=tickets),
        burndown=refresh_burndown(tickets=tickets, until=filters.end),
        installs=installs,
        installs_by_week=installs_by_week,
        durations=refresh_status_durations(filters=filters),
        stuck=stuck,
        approvals=refresh_approvals_waiting(tickets=tickets),
        problems=problems,
        stuck_before=before,
        choices={
            "configs": list(RefreshConfig.objects.order_by("name").values_list("pk", "name")),
            "batches": list(
                RefreshBatch.objects.order_by("-created_at").values_list("pk", "name")[:200]
            ),
            "teams": list(SupportTeam.objects.order_by("name").values_list("pk", "name")),
        },
    )


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


def refresh_dashboard_cached(*, user, filters: RefreshDashboardFilters) -> RefreshDashboard:
    key = "reports:refresh-dashboard:" + hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    return cached(key, lambda: refresh_dashboard(user=user, filters=filters))


# --- order desk dashboard -------------------------------------------------------------
@dataclass
class OrdersDashboard:
    open_by_queue_owner: list[dict]
    created_vs_completed: list[tuple[dt.date, int, int]]
    on_time: list[dict]
    action_times: list[dict]
    queues: list[tuple[int, str]]


def orders_open_by_queue_owner(*, orders: QuerySet) -> list[dict]:
    """Open orders (submitted, in progress, on hold) per queue and owner; one query."""
    rows = (
        orders.filter(status__in=OPEN_ORDER_STATUSES)
        .values_list("queue__name", "owner__full_name", "owner__email")
        .annotate(n=Count("id"))
    )
    result = [
        {"queue": queue, "owner": name or email or "Unassigned", "count": n}
        for queue, name, email, n in rows
    ]
    return sorted(result, key=lambda r: (r["queue"], -r["count"], r["owner"]))


def orders_created_vs_completed(
    *, orders: QuerySet, weeks: int = WEEKS_SHOWN
) -> list[tuple[dt.date, int, int]]:
    """(week, created, completed) for the last ``weeks`` weeks; two queries."""
    starts = _week_starts(weeks)
    since = _local_midnight(starts[0])
    created = {
        _as_date(week): n
        for week, n in orders.filter(created_at__gte=since)
        .exclude(status=OrderStatus.DRAFT)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    }
    completed = {
        _as_date(week): n
        for week, n in orders.filter(status=OrderStatus.COMPLETED, completed_at__gte=since)
        .annotate(week=TruncWeek("completed_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    }
    return [(week, created.get(week, 0), completed.get(week, 0)) for week in starts]


def orders_on_time(*, orders: QuerySet) -> list[dict]:
    """Completed orders with a planned date, on time or late, per type; one query.

    On time: completed (business time zone date) on or before the planned date.
    """
    rows = (
        orders.filter(status=OrderStatus.COMPLETED, planned_completion_date__isnull=False)
        .values_list("order_type")
        .annotate(
            on_time=Count("id", filter=Q(completed_at__date__lte=F("planned_completion_date"))),
            late=Count("id", filter=Q(completed_at__date__gt=F("planned_completion_date"))),
        )
    )
    found = {kind: (on_time, late) for kind, on_time, late in rows}
    return [
        {
            "type": kind.value,
            "label": kind.label,
            "on_time": found.get(kind.value, (0, 0))[0],
            "late": found.get(kind.value, (0, 0))[1],
        }
        for kind in OrderType
    ]


def orders_action_times(*, orders: QuerySet) -> list[dict]:
    """Median and 90th percentile days each step of each queue took; one query.

    A step's time runs from the previous step's processing (or the order's
    submission, for the first) to its own. Skipped steps are not counted.
    """
    # The first step has no previous one: it starts at submission.
    actions = OrderAction.objects.order_by()
    if orders.query.where:
        actions = actions.filter(order__in=orders.values("pk"))
    qs = (
        actions.annotate(
            began_at=Window(
                Lag("processed_at", default=F("order__submitted_at")),
                partition_by=[F("order_id")],
                order_by=[F("position").asc()],
            )
        )
        .annotate(queue_name=F("order__queue__name"))
        .values("queue_name", "position", "name", "status", "processed_at", "began_at")
    )
    found = _durations_by_group(
        qs,
        group=("queue_name", "position", "name", "status"),
        start="began_at",
        end="processed_at",
    )
    found = {key[:3]: stats for key, stats in found.items() if key[3] == ActionStatus.DONE}
    return [
        {"queue": queue, "position": position, "name": name, **stats}
        for (queue, position, name), stats in sorted(found.items())
    ]


def orders_dashboard_cached(*, queue_id: int | None = None) -> OrdersDashboard:
    return cached(
        f"reports:orders-dashboard:{queue_id or ''}",
        lambda: orders_dashboard(queue_id=queue_id),
    )


def orders_dashboard(*, queue_id: int | None = None) -> OrdersDashboard:
    orders = Order.objects.order_by()
    if queue_id:
        orders = orders.filter(queue_id=queue_id)
    return OrdersDashboard(
        open_by_queue_owner=orders_open_by_queue_owner(orders=orders),
        created_vs_completed=orders_created_vs_completed(orders=orders),
        on_time=orders_on_time(orders=orders),
        action_times=orders_action_times(orders=orders),
        queues=list(OrderQueue.objects.order_by("name").values_list("pk", "name")),
    )


# --- saved views ----------------------------------------------------------------------
def saved_views_for(*, user) -> QuerySet[SavedView]:
    """The user's own saved views and those shared with one of their roles."""
    qs = SavedView.objects.select_related("owner")
    if not user.is_superuser:
        names = set(user.groups.values_list("name", flat=True))
        roles = [role.value for role, name in ROLE_GROUP_NAMES.items() if name in names]
        qs = qs.filter(Q(owner=user) | Q(shared_with_role__in=roles))
    return qs.order_by("name", "pk")


def staff_people() -> QuerySet[User]:
    """Active staff (any staff role, or superuser): who may receive reports."""
    names = [ROLE_GROUP_NAMES[role] for role in STAFF_ROLES]
    ids = User.objects.filter(Q(groups__name__in=names) | Q(is_superuser=True)).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("full_name", "email")
