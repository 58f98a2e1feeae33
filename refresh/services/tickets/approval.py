"""Approvers: approve, return to the customer, edit until ordering starts,
then file change requests.
"""

from __future__ import annotations

from django.db import transaction

from refresh.choices import (
    APPROVER_EDITABLE_STATUSES,
    EventKind,
    TicketStatus,
)
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import (
    RefreshTicket,
    RefreshTicketEvent,
)

from .._core import (
    lock_ticket,
    not_allowed,
    run_transition,
)
from ..answers import apply_m2m_answers
from .customer import _apply_and_record_location
from .events import _record_event

S = TicketStatus


# --- approval -----------------------------------------------------------------
def _require_config_approver(ticket: RefreshTicket, approver) -> None:
    from refresh.models.guards import _is_config_approver

    if not _is_config_approver(ticket, approver):
        raise TransitionDenied(f"You are not an approver of {ticket.config}.")


@transaction.atomic
def ticket_approve(*, ticket: RefreshTicket, approver, note: str = "") -> RefreshTicket:
    """pending_approval → pending_ordering (bump-down: pending_itsm_existence)."""
    return run_transition(
        ticket=ticket, action="approve", actor=approver, note=note, args=(approver,)
    )


@transaction.atomic
def ticket_return_to_customer(*, ticket: RefreshTicket, approver, note: str) -> RefreshTicket:
    """pending_approval → pending_customer with the approver's comment (required)."""
    note = (note or "").strip()
    if not note:
        raise RefreshError("Say what the customer should change.")
    current = lock_ticket(ticket)
    result = run_transition(
        ticket=current, action="return_to_customer", actor=approver, note=note, locked=True
    )
    _record_event(
        ticket=result,
        kind=EventKind.COMMENT,
        summary=f"Returned to the customer: {note}"[:300],
        payload={"note": note},
        actor=approver,
    )
    return result


@transaction.atomic
def ticket_update_by_approver(*, ticket: RefreshTicket, approver, answers: dict) -> RefreshTicket:
    """An approver edits device, peripherals, software or location until pending_ordering.

    No status change; later changes go through ``ticket_file_change_request``.
    """
    current = lock_ticket(ticket)
    _require_config_approver(current, approver)
    if current.status not in APPROVER_EDITABLE_STATUSES:
        raise RefreshError(
            f"{current.number} is {current.get_status_display()}: approvers can no longer "
            "edit it. File a change request instead."
        )
    checked = _apply_and_record_location(
        ticket=current, answers=answers, enforce_options=False, actor=approver
    )
    current.save(update_fields=sorted({*checked.changed, "updated_at"}))
    apply_m2m_answers(ticket=current, checked=checked)
    return current


@transaction.atomic
def ticket_file_change_request(*, ticket: RefreshTicket, approver, text: str) -> RefreshTicketEvent:
    """After ordering started an approver asks for a change: a Change Request event
    (sent to the ITSM by the integrations jobs)."""
    text = (text or "").strip()
    if not text:
        raise RefreshError("Describe the change you need.")
    current = lock_ticket(ticket)
    _require_config_approver(current, approver)
    if current.status in APPROVER_EDITABLE_STATUSES:
        raise RefreshError(
            f"{current.number} is {current.get_status_display()}: edit the ticket directly."
        )
    if current.is_final:
        raise not_allowed(current, "change_request", "Closed tickets take no change requests.")
    return _record_event(
        ticket=current,
        kind=EventKind.CHANGE_REQUEST,
        summary=text[:300],
        payload={"text": text},
        actor=approver,
    )
