"""Refresh writes. One function per use case; see the modules for the rules.

Import from here: ``from refresh.services import ticket_approve``. The ticket use
cases are listed once, in ``refresh.services.tickets.__all__``; this package
re-exports them with the other modules' names.
"""

from . import tickets
from .answers import ANSWER_KEYS
from .batches import (
    PreviewRow,
    batch_create,
    batch_create_tickets,
    batch_preview,
    serials_preview,
    tickets_create_for_systems,
)
from .bulk import (
    BulkReport,
    RowResult,
    parse_serials,
    tickets_assign_replacements_bulk,
    tickets_hold_bulk,
    tickets_reschedule_bulk,
    tickets_set_tracking_bulk,
)
from .configs import config_audit, config_save
from .sort_names import tickets_team_renamed, tickets_user_renamed
from .systems import UpsertResult, system_upsert, systems_lifecycle_dates_set
from .tickets import *  # noqa: F403  (the ticket use cases; their one list is tickets.__all__)

__all__ = [
    "UpsertResult",
    "system_upsert",
    "systems_lifecycle_dates_set",
    "ANSWER_KEYS",
    "BulkReport",
    "PreviewRow",
    "RowResult",
    "batch_create",
    "batch_create_tickets",
    "batch_preview",
    "config_audit",
    "config_save",
    "parse_serials",
    "serials_preview",
    "tickets_assign_replacements_bulk",
    "tickets_create_for_systems",
    "tickets_hold_bulk",
    "tickets_reschedule_bulk",
    *tickets.__all__,
    "tickets_set_tracking_bulk",
    "tickets_team_renamed",
    "tickets_user_renamed",
]
