"""Reports pages: thin views over ``reports.selectors`` / ``reports.services``, one module
per concern (dashboards, exports, saved views, end of life). ``reports.urls`` uses
the names re-exported here."""

from reports.views.dashboards import index, orders_dashboard, refresh_dashboard
from reports.views.end_of_life import (
    forecast,
    forecast_batch,
    lifecycle_policy,
    lifecycle_policy_delete,
    systems_import,
)
from reports.views.exports import export
from reports.views.saved_views import (
    saved_view_create,
    saved_view_delete,
    saved_view_detail,
    subscription_stop,
    unsubscribe,
)

__all__ = [
    "export",
    "forecast",
    "forecast_batch",
    "index",
    "lifecycle_policy",
    "lifecycle_policy_delete",
    "orders_dashboard",
    "refresh_dashboard",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_detail",
    "subscription_stop",
    "systems_import",
    "unsubscribe",
]
