"""Refresh automation: one service per periodic sweep and per after-commit effect.

The Celery tasks in ``refresh/tasks.py`` call these (ids in); nothing here
imports the tasks. Every function is safe to run twice, or on two workers at
once: due times live in the database, claims are conditional updates, emails
carry unique keys, ITSM creates carry idempotency keys.
"""

from ._common import DELIVERY_TASK, ITSM_TASK_TITLES, PRESTAGE_TASK
from .appointments import (
    ticket_appointment_booked_notify,
    ticket_appointment_itsm_push,
    tickets_discover_slots,
    tickets_send_appointment_reminders,
)
from .customer import (
    approvers_send_digests,
    ticket_send_pick_slot_email,
    ticket_send_tracking_email,
    ticket_send_wizard_submitted,
    tickets_expire_past_wizard_deadline,
    tickets_send_due_invites,
    tickets_send_due_reminders,
)
from .itsm import (
    LOOKUP_BATCH,
    event_push_to_itsm,
    ticket_itsm_existence_lookup,
    ticket_itsm_reschedule_update,
    ticket_itsm_ticket_ensure,
    ticket_replacement_assigned_notify,
    ticket_slack_notify_team,
    tickets_itsm_existence_lookup_batch,
    tickets_itsm_existence_sweep,
    tickets_itsm_poll,
)
from .owner import ticket_owner_lookup

__all__ = [
    "ticket_owner_lookup",
    "DELIVERY_TASK",
    "ITSM_TASK_TITLES",
    "LOOKUP_BATCH",
    "PRESTAGE_TASK",
    "approvers_send_digests",
    "event_push_to_itsm",
    "ticket_appointment_booked_notify",
    "ticket_appointment_itsm_push",
    "ticket_itsm_existence_lookup",
    "ticket_itsm_reschedule_update",
    "ticket_itsm_ticket_ensure",
    "ticket_replacement_assigned_notify",
    "ticket_send_pick_slot_email",
    "ticket_send_tracking_email",
    "ticket_send_wizard_submitted",
    "ticket_slack_notify_team",
    "tickets_discover_slots",
    "tickets_send_appointment_reminders",
    "tickets_expire_past_wizard_deadline",
    "tickets_itsm_existence_lookup_batch",
    "tickets_itsm_existence_sweep",
    "tickets_itsm_poll",
    "tickets_send_due_invites",
    "tickets_send_due_reminders",
]
