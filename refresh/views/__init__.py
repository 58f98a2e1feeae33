"""Staff pages of the refresh app (customer pages live in refresh/customer/)."""

from .bulk import (
    batch_create,
    batch_create_tickets,
    batch_detail,
    batch_list,
    bulk_create,
    order_group,
    ticket_create,
)
from .configs import config_create, config_detail, config_edit, config_list
from .shipping import ticket_group, ticket_tracking, tracking_bulk
from .tickets import (
    ticket_action,
    ticket_comment,
    ticket_detail,
    ticket_itsm_lookup,
    ticket_list,
    ticket_location,
    ticket_replacement,
    ticket_slot,
    tickets_bulk,
)

__all__ = [
    "batch_create",
    "batch_create_tickets",
    "batch_detail",
    "batch_list",
    "bulk_create",
    "config_create",
    "config_detail",
    "config_edit",
    "config_list",
    "order_group",
    "ticket_action",
    "ticket_comment",
    "ticket_create",
    "ticket_detail",
    "ticket_itsm_lookup",
    "ticket_list",
    "ticket_location",
    "ticket_replacement",
    "ticket_slot",
    "tickets_bulk",
    "ticket_group",
    "ticket_tracking",
    "tracking_bulk",
]
