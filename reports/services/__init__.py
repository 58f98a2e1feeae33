"""Writes of the reports app, one module per concern: saved views and subscriptions, the
report job, lifecycle policies (and "start a refresh batch" from the forecast), the
system dates importer. Every name callers use is importable from ``reports.services``."""

from .lifecycle import forecast_batch_start, lifecycle_policy_delete, lifecycle_policy_save
from .report_job import (
    REPORT_FIRST_ROWS,
    UNSUBSCRIBE_LINK_DAYS,
    UNSUBSCRIBE_PURPOSE,
    metric_record,
    report_email_key,
    report_occurrence,
    report_send,
    reports_run,
)
from .saved_views import (
    saved_view_create,
    saved_view_delete,
    saved_view_visible_to,
    subscription_cancel,
    subscription_create,
)
from .systems_import import (
    IMPORT_COLUMNS,
    IMPORT_MAX_ROWS,
    ImportReport,
    ImportRow,
    systems_import_preview,
    systems_import_read,
    systems_lifecycle_update,
)

__all__ = [
    "IMPORT_COLUMNS",
    "IMPORT_MAX_ROWS",
    "REPORT_FIRST_ROWS",
    "UNSUBSCRIBE_LINK_DAYS",
    "UNSUBSCRIBE_PURPOSE",
    "ImportReport",
    "ImportRow",
    "forecast_batch_start",
    "lifecycle_policy_delete",
    "lifecycle_policy_save",
    "metric_record",
    "report_email_key",
    "report_occurrence",
    "report_send",
    "reports_run",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_visible_to",
    "subscription_cancel",
    "subscription_create",
    "systems_import_preview",
    "systems_import_read",
    "systems_lifecycle_update",
]
