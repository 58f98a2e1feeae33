"""The reports index and the two dashboards (refresh, order desk)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from reports import charts, selectors
from reports.exports import SPECS
from reports.forms import (
    RefreshDashboardForm,
)
from reports.roles import (
    can_import_systems,
    can_see_reports,
    can_view_forecast,
    can_view_orders_dashboard,
    can_view_refresh_dashboard,
)
from reports.time_logged import dashboard_time_logged

CSS = "css/reports.css"


@role_required(check=can_see_reports)
def index(request):
    user = request.user
    views = selectors.saved_views_for(user=user)
    subscriptions = selectors.subscriptions_of(user=user)
    rows = [
        {
            "view": view,
            "list_title": SPECS[view.list_name].title,
            "url": reverse(SPECS[view.list_name].page) + (f"?{view.query}" if view.query else ""),
        }
        for view in views
    ]
    return render(
        request,
        "reports/index.html",
        {
            "saved_views": rows,
            "subscriptions": subscriptions,
            "can_refresh": can_view_refresh_dashboard(user),
            "can_orders": can_view_orders_dashboard(user),
            "can_forecast": can_view_forecast(user),
            "can_import": can_import_systems(user),
        },
    )


def _fmt_day(day) -> str:
    return f"{day:%b} {day.day}"


def _by_day_chart(*, title: str, rows, names: tuple[str, ...], line: bool = False) -> str:
    """A column chart of ``(day, value, ...)`` rows: a label per day, a series per name."""
    return charts.column_chart(
        title=title,
        labels=[_fmt_day(row[0]) for row in rows],
        series=[(name, [row[i] for row in rows]) for i, name in enumerate(names, start=1)],
        line=line,
    )


@role_required(check=can_view_refresh_dashboard)
@require_GET
def refresh_dashboard(request):
    filters = RefreshDashboardForm.filters_from(request.GET)
    data = selectors.refresh_dashboard_cached(user=request.user, filters=filters)
    form = RefreshDashboardForm(request.GET or None, choices=data.choices)
    if form.is_bound:
        form.is_valid()
    list_url = reverse("refresh:ticket_list")
    stuck = [
        (value, label, n, f"{list_url}?status={value}&sort=changed")
        for value, label, n in data.stuck
    ]
    context = {
        "form": form,
        "data": data,
        "stuck": stuck,
        "funnel_chart": charts.bar_chart(
            title="Tickets per status now", rows=[(label, n) for _, label, n in data.funnel]
        ),
        "burndown_chart": _by_day_chart(
            title="Open tickets per day", rows=data.burndown, names=("Open tickets",), line=True
        ),
        "installs_chart": _by_day_chart(
            title="Installs per week against slot capacity",
            rows=data.installs_by_week,
            names=("Installs", "Slot capacity"),
        ),
        "durations_chart": charts.column_chart(
            title="Median and 90th percentile days in each status",
            labels=[str(i + 1) for i in range(len(data.durations))],
            series=[
                ("Median", [row["median"] for row in data.durations]),
                ("90th percentile", [row["p90"] for row in data.durations]),
            ],
        ),
        "stuck_chart": charts.bar_chart(
            title=f"Tickets in their status since before {data.stuck_before:%b %d}",
            rows=[(label, n) for _, label, n, _ in stuck],
        ),
        "approvals_chart": charts.bar_chart(
            title="Approvals waiting per approver", rows=data.approvals
        ),
        "problems_chart": _by_day_chart(
            title="Problems per day", rows=data.problems, names=("Problems",), line=True
        ),
        "css": CSS,
    }
    return render(request, "reports/refresh_dashboard.html", context)


@role_required(check=can_view_orders_dashboard)
@require_GET
def orders_dashboard(request):
    queue = request.GET.get("queue", "")
    data = selectors.orders_dashboard_cached(queue_id=int(queue) if queue.isdigit() else None)
    by_queue: dict[str, int] = {}
    for row in data.open_by_queue_owner:
        by_queue[row["queue"]] = by_queue.get(row["queue"], 0) + row["count"]
    context = {
        "data": data,
        "queue": queue,
        "open_chart": charts.bar_chart(
            title="Open requests per queue", rows=sorted(by_queue.items())
        ),
        "weekly_chart": _by_day_chart(
            title="Requests created and completed per week",
            rows=data.created_vs_completed,
            names=("Created", "Completed"),
        ),
        "on_time_chart": charts.column_chart(
            title="Completed on time and late, per type",
            labels=[row["label"] for row in data.on_time],
            series=[
                ("On time", [row["on_time"] for row in data.on_time]),
                ("Late", [row["late"] for row in data.on_time]),
            ],
        ),
        "action_chart": charts.bar_chart(
            title="Median days per step",
            rows=[
                (f"{row['queue']} · {row['position']}. {row['name']}"[:40], row["median"])
                for row in data.action_times
            ],
        ),
        "css": CSS,
        # Time logged on requests and their actions (issue 13).
        "time_logged": dashboard_time_logged(queue_id=int(queue) if queue.isdigit() else None),
    }
    return render(request, "reports/orders_dashboard.html", context)
