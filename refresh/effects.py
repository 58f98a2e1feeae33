"""Side effects of refresh ticket transitions (DESIGN.md §3), run after commit.

The refresh services call ``after_transition`` (and the named hooks below) once
their transaction has committed. Everything here only enqueues tasks or sends
idempotent emails: each outside call happens in a task that re-reads the
ticket, is keyed so a retry does nothing twice, and retries transient ITSM
errors with backoff.
"""

from __future__ import annotations

import logging

from refresh.choices import TicketStatus as S

logger = logging.getLogger(__name__)


def after_transition(*, ticket_id: int, source: str, target: str, actor_label: str) -> None:
    from refresh import tasks

    if target != S.CANCELLED:
        # Every refresh ticket gets one ITSM ticket with its tasks (keyed by id).
        tasks.itsm_ticket_create_task.delay(ticket_id)
    if source == S.PENDING_CUSTOMER and target in (S.PENDING_APPROVAL, S.PENDING_ORDERING):
        # The customer submitted the wizard: confirm it; ask the approvers if needed.
        tasks.wizard_submitted_task.delay(ticket_id)
    if target == S.PENDING_ITSM_EXISTENCE:
        tasks.itsm_existence_lookup_task.delay(ticket_id)
    elif target == S.PENDING_DELIVERY:
        tasks.tracking_email_task.delay(ticket_id)
    elif target == S.PENDING_CUSTOMER_SCHEDULING:
        rescheduling = source == S.DELIVERY_SCHEDULED
        tasks.pick_slot_email_task.delay(ticket_id, rescheduling)
        if rescheduling:
            tasks.itsm_reschedule_update_task.delay(ticket_id, "released")
    elif target == S.DELIVERY_SCHEDULED:
        # The ITSM always hears of the appointment (no_customer: the generic 12 AM
        # one); the customer gets a confirmation with a calendar invite, or a
        # new-time notice when the booking moved (delivery_scheduled → itself).
        tasks.appointment_booked_task.delay(ticket_id, source == S.DELIVERY_SCHEDULED)


def after_replacement_assigned(*, ticket_id: int) -> None:
    from refresh import tasks

    tasks.replacement_assigned_task.delay(ticket_id)


def after_event(*, event_id: int) -> None:
    from refresh import tasks

    tasks.event_push_task.delay(event_id)
