"""What follows a refresh ticket's transition, event or replacement (DESIGN.md §3).

Services call these inside their transaction; each only enqueues Celery tasks
by name (``common.effects.enqueue_on_commit``), so nothing runs for rows that
roll back and services never import ``refresh.tasks``. The tasks call the job
services in ``refresh.services.jobs``.
"""

from __future__ import annotations

from common.effects import enqueue_on_commit
from refresh.choices import TicketStatus as S

TASKS = "refresh.tasks"


def _enqueue(name: str, **kwargs) -> None:
    enqueue_on_commit(f"{TASKS}.{name}", **kwargs)


def effects_after_transition(*, ticket_id: int, source: str, target: str, reason: str = "") -> None:
    """Enqueue the jobs a transition ``source`` → ``target`` starts, after commit.

    ``reason`` says why an appointment was released when it was not the
    customer's or staff's own request (``"slot_deleted"``): the customer's
    email and the ITSM note say so.
    """
    if not source:
        # A new ticket: owner, support team and location from the ITSM's asset record.
        _enqueue("owner_lookup_task", ticket_id=ticket_id)
    if target != S.CANCELLED:
        # Every refresh ticket gets one ITSM ticket with its tasks: one effect per
        # ticket (the key), so two runs never race to create it (the ITSM's "find
        # before create" is not atomic); later transitions find it promised.
        _enqueue(
            "itsm_ticket_create_task",
            ticket_id=ticket_id,
            effect_key=f"refresh:itsm-ticket:{ticket_id}",
        )
    if source == S.PENDING_CUSTOMER and target in (S.PENDING_APPROVAL, S.PENDING_ORDERING):
        # The customer submitted the wizard: confirm it; ask the approvers if needed.
        _enqueue("wizard_submitted_task", ticket_id=ticket_id)
    if target == S.PENDING_ITSM_EXISTENCE:
        _enqueue("itsm_existence_lookup_task", ticket_id=ticket_id)
    elif target == S.PENDING_DELIVERY:
        _enqueue("tracking_email_task", ticket_id=ticket_id)
    elif target == S.PENDING_CUSTOMER_SCHEDULING:
        rescheduling = source == S.DELIVERY_SCHEDULED
        if reason:
            _enqueue(
                "pick_slot_email_task",
                ticket_id=ticket_id,
                rescheduling=rescheduling,
                reason=reason,
            )
        else:
            _enqueue("pick_slot_email_task", ticket_id=ticket_id, rescheduling=rescheduling)
        if rescheduling:
            _enqueue(
                "itsm_reschedule_update_task", ticket_id=ticket_id, reason=reason or "released"
            )
    elif target == S.DELIVERY_SCHEDULED:
        # The ITSM always hears of the appointment (no_customer: the generic 12 AM
        # one); the customer gets a confirmation with a calendar invite, or a
        # new-time notice when the booking moved (delivery_scheduled → itself).
        # Two effects: the push waits for the ITSM ticket, the email does not.
        _enqueue("appointment_itsm_push_task", ticket_id=ticket_id)
        _enqueue(
            "appointment_booked_task", ticket_id=ticket_id, moved=source == S.DELIVERY_SCHEDULED
        )


def effects_after_replacement_assigned(*, ticket_id: int) -> None:
    """Mac engineering email or Windows prestage, after commit."""
    _enqueue("replacement_assigned_task", ticket_id=ticket_id)


def effects_after_event(*, event_id: int) -> None:
    """Push a changed location or change request to the ITSM, after commit."""
    _enqueue("event_push_task", event_id=event_id)


def effects_after_lookup_requested(*, ticket_id: int) -> None:
    """Staff asked to look the replacement up in the ITSM again now, after commit."""
    _enqueue("itsm_existence_lookup_task", ticket_id=ticket_id)


def effects_after_tracking_set(*, ticket_id: int) -> None:
    """A new or changed tracking number: the customer's tracking email, after commit."""
    _enqueue("tracking_email_task", ticket_id=ticket_id)
