"""Refresh reads: staff lists, approver lists, ticket detail, problems, counts,
configs and batches, the customer wizard's options, and the jobs' sweeps.

Access is checked here, deny by default: staff lists need
``refresh.view_refreshticket``; approvers see tickets of configs naming them.
Import from here: ``from refresh.selectors import tickets_for_staff``.
"""

from refresh.roles import can_view_tickets

from .approvals import (
    ticket_for_approver,
    ticket_for_approver_edit,
    tickets_awaiting_approval,
    tickets_for_approver,
    tickets_for_approver_by_ids,
)
from .base import (
    ITSM_EXISTENCE_STALE_AFTER,
    ITSM_LOOKUP_ATTEMPTS_PROBLEM,
    problem_reason,
    ticket_customer_email,
)
from .configs import (
    batch_for_staff,
    batch_rows,
    batches_for_staff,
    config_audits,
    config_detail,
    config_for_edit,
    configs_by_name,
    configs_for_staff,
    systems_for_bulk_creation,
)
from .jobs import (
    tickets_awaiting_itsm_existence,
    tickets_awaiting_slot_discovery,
    tickets_due_appointment_reminder,
    tickets_due_invite,
    tickets_due_reminder,
    tickets_for_itsm_poll,
    tickets_past_wizard_deadline,
)
from .lists import (
    DEFAULT_SORT,
    FOCUS_ALL,
    FOCUS_APPROVAL,
    FOCUS_PROBLEMS,
    FOCUSES,
    LIST_FIELDS,
    SORTS,
    STATUS_COUNTS_TTL,
    TicketFilters,
    counts_changed,
    focus_counts,
    status_counts,
    ticket_list_rows,
    ticket_problems,
    tickets_by_ids_for_staff,
    tickets_for_staff,
    tickets_page,
    tickets_pending_ordering,
)
from .systems import (
    hardware_model_by_id,
    organization_by_id,
    system_for_staff,
    systems_for_staff,
    user_by_email,
)
from .tickets import TimelineEntry, change_requests, stock_systems, ticket_detail, ticket_timelines

__all__ = [
    "hardware_model_by_id",
    "organization_by_id",
    "system_for_staff",
    "systems_for_staff",
    "user_by_email",
    "DEFAULT_SORT",
    "FOCUSES",
    "FOCUS_ALL",
    "FOCUS_APPROVAL",
    "FOCUS_PROBLEMS",
    "ITSM_EXISTENCE_STALE_AFTER",
    "ITSM_LOOKUP_ATTEMPTS_PROBLEM",
    "LIST_FIELDS",
    "SORTS",
    "STATUS_COUNTS_TTL",
    "TicketFilters",
    "TimelineEntry",
    "batch_for_staff",
    "batch_rows",
    "configs_by_name",
    "batches_for_staff",
    "can_view_tickets",
    "change_requests",
    "config_audits",
    "config_detail",
    "config_for_edit",
    "configs_for_staff",
    "counts_changed",
    "tickets_page",
    "focus_counts",
    "problem_reason",
    "status_counts",
    "stock_systems",
    "systems_for_bulk_creation",
    "ticket_customer_email",
    "ticket_detail",
    "ticket_for_approver",
    "ticket_for_approver_edit",
    "tickets_awaiting_approval",
    "tickets_for_approver_by_ids",
    "ticket_list_rows",
    "ticket_problems",
    "ticket_timelines",
    "tickets_awaiting_itsm_existence",
    "tickets_awaiting_slot_discovery",
    "tickets_by_ids_for_staff",
    "tickets_due_invite",
    "tickets_due_appointment_reminder",
    "tickets_due_reminder",
    "tickets_for_approver",
    "tickets_for_itsm_poll",
    "tickets_for_staff",
    "tickets_past_wizard_deadline",
    "tickets_pending_ordering",
]
