"""Read-only aggregates for the dashboards and the forecast.

Each dashboard is a fixed, small number of GROUP BY queries over the other
apps' tables (never one query per ticket or order): the query count does not
depend on the data size. Percentiles use PostgreSQL's ``percentile_cont``;
on SQLite (the embedded mode) the durations are fetched and ranked in Python.
"""

from .common import (
    DASHBOARD_TTL,
    DEFAULT_STUCK_DAYS,
    METRIC_PROBLEMS,
    OPEN_ORDER_STATUSES,
    WEEKS_SHOWN,
    S,
    _as_date,
    _durations_by_group,
    _local_midnight,
    _week_starts,
    business_days_ago,
    cached,
    percentile,
)
from .orders import (
    OrdersDashboard,
    orders_action_times,
    orders_created_vs_completed,
    orders_dashboard,
    orders_dashboard_cached,
    orders_on_time,
    orders_open_by_queue_owner,
)
from .refresh import (
    RefreshDashboard,
    RefreshDashboardFilters,
    _is_filtered,
    _scope,
    _tickets,
    metric_history,
    refresh_approvals_waiting,
    refresh_burndown,
    refresh_dashboard,
    refresh_dashboard_cached,
    refresh_funnel,
    refresh_installs_vs_capacity,
    refresh_problems_now,
    refresh_status_durations,
    refresh_stuck,
)
from .views import (
    saved_views_for,
    staff_people,
)

__all__ = [
    "DASHBOARD_TTL",
    "DEFAULT_STUCK_DAYS",
    "METRIC_PROBLEMS",
    "OPEN_ORDER_STATUSES",
    "OrdersDashboard",
    "RefreshDashboard",
    "RefreshDashboardFilters",
    "S",
    "WEEKS_SHOWN",
    "_as_date",
    "_durations_by_group",
    "_is_filtered",
    "_local_midnight",
    "_scope",
    "_tickets",
    "_week_starts",
    "business_days_ago",
    "cached",
    "metric_history",
    "orders_action_times",
    "orders_created_vs_completed",
    "orders_dashboard",
    "orders_dashboard_cached",
    "orders_on_time",
    "orders_open_by_queue_owner",
    "percentile",
    "refresh_approvals_waiting",
    "refresh_burndown",
    "refresh_dashboard",
    "refresh_dashboard_cached",
    "refresh_funnel",
    "refresh_installs_vs_capacity",
    "refresh_problems_now",
    "refresh_status_durations",
    "refresh_stuck",
    "saved_views_for",
    "staff_people",
]
