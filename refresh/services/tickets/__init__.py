"""Creating refresh tickets and driving them through DESIGN.md §3.

Every function here is one use case: it locks the ticket, applies the model
transition, saves with ``update_fields``, writes one audit row and schedules
``refresh.services.effects`` (tasks enqueued after commit). Jobs pass ``job=`` (their
name lands in the audit row); people pass ``actor=`` (a user, checked against
the transition's permission); customers reach through emailed links and pass
``actor_label=``. Import from ``refresh.services``, which re-exports ``__all__``
below (the one list of the ticket use cases). Helpers the sibling modules share
(``creation.build_ticket``, ``creation.validate_replacement``, ...) are imported
from their module.
"""

from .admin_edit import ticket_admin_editable_fields, ticket_admin_update
from .approval import (
    ticket_approve,
    ticket_file_change_request,
    ticket_return_to_customer,
    ticket_update_by_approver,
)
from .creation import default_proposed_model, ticket_create
from .customer import (
    ticket_expire_wizard,
    ticket_save_wizard_progress,
    ticket_send_invite,
    ticket_submit_location_info,
    ticket_submit_wizard,
)
from .delivery import (
    ticket_assign_replacement,
    ticket_book_slot,
    ticket_booking_slot_deleted,
    ticket_cancel,
    ticket_hold,
    ticket_itsm_found,
    ticket_itsm_lookup_failed,
    ticket_itsm_lookup_request,
    ticket_mark_complete,
    ticket_mark_installed,
    ticket_request_reschedule,
    ticket_resume,
    ticket_slot_discovered,
)
from .events import (
    CLAIMABLE_FIELDS,
    ticket_claim_once,
    ticket_event_mark_synced,
    ticket_record_event,
    ticket_set_itsm_ticket,
)
from .owner import ticket_apply_owner_lookup
from .shipping import (
    check_trackable,
    clean_tracking,
    ticket_set_group,
    ticket_set_tracking_number,
)

__all__ = [
    "ticket_admin_editable_fields",
    "ticket_admin_update",
    "CLAIMABLE_FIELDS",
    "default_proposed_model",
    "ticket_approve",
    "ticket_assign_replacement",
    "ticket_book_slot",
    "ticket_booking_slot_deleted",
    "ticket_cancel",
    "ticket_claim_once",
    "ticket_create",
    "ticket_event_mark_synced",
    "ticket_expire_wizard",
    "ticket_file_change_request",
    "ticket_hold",
    "ticket_itsm_found",
    "ticket_itsm_lookup_failed",
    "ticket_itsm_lookup_request",
    "ticket_mark_complete",
    "ticket_mark_installed",
    "ticket_record_event",
    "ticket_request_reschedule",
    "ticket_resume",
    "ticket_return_to_customer",
    "ticket_save_wizard_progress",
    "ticket_send_invite",
    "ticket_set_itsm_ticket",
    "ticket_set_group",
    "ticket_apply_owner_lookup",
    "ticket_set_tracking_number",
    "clean_tracking",
    "check_trackable",
    "ticket_slot_discovered",
    "ticket_submit_location_info",
    "ticket_submit_wizard",
    "ticket_update_by_approver",
]
