"""The customer phase: invite, wizard progress and submission, the wizard
deadline, and the staff location form that replaces an unfinished wizard.
"""

from __future__ import annotations

from django.db import transaction

from refresh.choices import (
    EventKind,
    TicketStatus,
)
from refresh.models import (
    RefreshTicket,
)

from .._core import (
    lock_ticket,
    not_allowed,
    run_transition,
)
from ..answers import CheckedAnswers, apply_answers, apply_m2m_answers
from .events import _record_event

S = TicketStatus


# --- customer phase -----------------------------------------------------------
@transaction.atomic
def ticket_send_invite(*, ticket: RefreshTicket, job: str = "invites") -> RefreshTicket:
    """pending_invite → pending_customer (the invite email goes out as an effect)."""
    return run_transition(ticket=ticket, action="send_invite", actor_label=job)


@transaction.atomic
def ticket_save_wizard_progress(*, ticket: RefreshTicket, progress: dict) -> RefreshTicket:
    """Keep partial wizard answers between visits (only while the wizard is open)."""
    current = lock_ticket(ticket)
    if current.status not in (S.PENDING_INVITE, S.PENDING_CUSTOMER):
        raise not_allowed(current, "submit_wizard")
    current.wizard_progress = dict(progress)
    current.save(update_fields=["wizard_progress", "updated_at"])
    return current


def _apply_and_record_location(
    *, ticket: RefreshTicket, answers: dict, enforce_options: bool, actor=None, actor_label=""
) -> CheckedAnswers:
    checked = apply_answers(ticket=ticket, answers=answers, enforce_options=enforce_options)
    if checked.location_changed:
        system = ticket.existing_system
        _record_event(
            ticket=ticket,
            kind=EventKind.CHANGED_LOCATION,
            summary=(
                f"Location changed from {system.location_display or 'unknown'} to "
                f"{', '.join(p for p in (ticket.location_building, ticket.location_room) if p)}"
            ),
            payload={
                "from": {"building": system.building, "room": system.room},
                "to": {
                    "building": ticket.location_building,
                    "room": ticket.location_room,
                    "notes": ticket.location_notes,
                },
            },
            actor=actor,
            actor_label=actor_label,
        )
    return checked


@transaction.atomic
def ticket_submit_wizard(
    *, ticket: RefreshTicket, actor_label: str = "customer", answers: dict | None = None
) -> RefreshTicket:
    """pending_customer → pending_approval when the config requires approval, else
    pending_ordering (bump-down with its replacement: pending_itsm_existence).

    ``answers`` (optional; keys of ``refresh.services.answers.ANSWER_KEYS``) are
    checked against the config's options and saved first. An on-prem location
    that differs from the system's records a Changed Location event.
    """
    current = lock_ticket(ticket)
    if current.status != S.PENDING_CUSTOMER:
        raise not_allowed(current, "submit_wizard")
    checked = _apply_and_record_location(
        ticket=current, answers=answers or {}, enforce_options=True, actor_label=actor_label
    )
    current.wizard_progress = {}
    result = run_transition(
        ticket=current,
        action="submit_wizard",
        actor_label=actor_label,
        extra_fields=[*checked.changed, "wizard_progress"],
        locked=True,
    )
    apply_m2m_answers(ticket=result, checked=checked)
    return result


@transaction.atomic
def ticket_expire_wizard(*, ticket: RefreshTicket, job: str = "wizard_deadlines") -> RefreshTicket:
    """pending_customer → pending_location_info (the wizard deadline passed)."""
    return run_transition(ticket=ticket, action="expire_wizard", actor_label=job)


@transaction.atomic
def ticket_submit_location_info(
    *, ticket: RefreshTicket, actor, answers: dict | None = None, note: str = ""
) -> RefreshTicket:
    """Staff fills the location form: pending_location_info → approval / ordering."""
    current = lock_ticket(ticket)
    if current.status != S.PENDING_LOCATION_INFO:
        raise not_allowed(current, "submit_location_info")
    checked = _apply_and_record_location(
        ticket=current, answers=answers or {}, enforce_options=False, actor=actor
    )
    result = run_transition(
        ticket=current,
        action="submit_location_info",
        actor=actor,
        note=note,
        extra_fields=checked.changed,
        locked=True,
    )
    apply_m2m_answers(ticket=result, checked=checked)
    return result
