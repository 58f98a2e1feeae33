"""The refresh dashboard: fixed GROUP BY queries over tickets, audits and slots."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from accounts.models import SupportTeam
from refresh.choices import FINAL_STATUSES
from refresh.models import RefreshBatch, RefreshConfig, RefreshTicket, RefreshTicketAudit
from refresh.selectors import ticket_problems
from reports.models import MetricSnapshot
from scheduling.selectors import slots_live

from .common import (
    DEFAULT_STUCK_DAYS,
    METRIC_PROBLEMS,
    WEEKS_SHOWN,
    S,
    _as_date,
    _durations_by_group,
    _local_midnight,
    _week_starts,
    business_days_ago,
    cached,
)


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

    Installs are the audit rows of transitions to ``installed`` (when it happened),
    per the team the row stores (the ticket's then): unfiltered, or by team, this
    reads ``refresh_audit_to_status_idx`` alone, not the tickets.
    """
    starts = _week_starts(weeks)
    since = _local_midnight(starts[0])
    audits = RefreshTicketAudit.objects.filter(
        _scope(replace(filters, team=None), "ticket__"),
        to_status=S.INSTALLED,
        created_at__gte=since,
    )
    if filters.team:
        audits = audits.filter(support_team_id=filters.team)
    installs = (
        audits.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values_list("week", "support_team__name")
        .annotate(n=Count("*"))
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


def refresh_status_durations(*, filters: RefreshDashboardFilters) -> list[dict]:
    """Median and 90th percentile of days spent in each status (finished stays); one query.

    A stay runs from the transition entering a status to the ticket's next
    transition (edits do not end it). Each transition row stores the stay it
    ends (``RefreshTicketAudit.stay_seconds``, set by the transition runner, filled for
    older rows by migration ``refresh.0009``), so this is a GROUP BY over the
    ``(from_status, stay_seconds)`` index, not a window over every audit row.
    """
    audits = RefreshTicketAudit.objects.order_by().filter(stay_seconds__isnull=False)
    if _is_filtered(filters):
        audits = audits.filter(ticket__in=_tickets(filters).values("pk"))
    qs = audits.values("from_status", "stay_seconds")
    found = _durations_by_group(qs, group=("from_status",), duration="stay_seconds")
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


def refresh_dashboard_cached(*, user, filters: RefreshDashboardFilters) -> RefreshDashboard:
    key = "reports:refresh-dashboard:" + hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    return cached(key, lambda: refresh_dashboard(user=user, filters=filters))
