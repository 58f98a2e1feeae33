"""The transition runner every ticket service shares.

lock the row (``select_for_update``) → check state, conditions, permission →
call the model transition → save with ``update_fields`` → audit row → effects
after commit (``refresh.services.effects``: Celery tasks enqueued by name).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from refresh.choices import TicketStatus
from refresh.exceptions import TransitionDenied, TransitionNotAllowed
from refresh.models import RefreshTicket, RefreshTicketAudit
from refresh.models.guards import _has_delivery_details, _has_replacement, _was_held
from refresh.selectors import counts_changed

from .effects import effects_after_transition

logger = logging.getLogger(__name__)

# What a person reads for each action in messages ("Approve is not possible ...").
ACTION_LABELS = {
    "send_invite": "Send the invite",
    "submit_wizard": "Submit the wizard",
    "expire_wizard": "Close the wizard",
    "submit_location_info": "Submit the location",
    "approve": "Approve",
    "return_to_customer": "Return to the customer",
    "advance_with_replacement": "Assign a replacement and advance",
    "itsm_found": "Mark found in the ITSM",
    "slot_discovered": "Offer slots to the customer",
    "book_slot": "Book a slot",
    "request_reschedule": "Reschedule",
    "mark_installed": "Mark installed",
    "mark_complete": "Mark complete",
    "hold": "Put on hold",
    "resume": "Resume",
    "cancel": "Cancel",
}

# Fields each transition method writes besides the status.
ACTION_FIELDS = {
    "send_invite": ["invite_sent_at"],
    "submit_wizard": ["wizard_submitted_at"],
    "expire_wizard": [],
    "submit_location_info": ["location_confirmed_at"],
    "approve": ["approved_at", "approved_by"],
    "return_to_customer": ["wizard_submitted_at"],
    "advance_with_replacement": ["itsm_lookup_attempts", "itsm_lookup_error"],
    "itsm_found": ["itsm_last_checked_at", "itsm_lookup_error"],
    "slot_discovered": [],
    "book_slot": ["delivery_at"],
    "request_reschedule": ["delivery_at"],
    "mark_installed": [],
    "mark_complete": [],
    "hold": ["status_before_hold"],
    "resume": ["status_before_hold"],
    "cancel": ["status_before_hold"],
}

_CONDITION_MESSAGES = {
    _has_replacement: "Assign a replacement system first.",
    _has_delivery_details: "A remote ticket needs a complete shipping address.",
    _was_held: "The ticket does not remember the status it was held from.",
}


def status_label(status: str) -> str:
    try:
        return TicketStatus(status).label
    except ValueError:
        return status or "new"


def not_allowed(ticket: RefreshTicket, action: str, reason: str = "") -> TransitionNotAllowed:
    label = ACTION_LABELS.get(action, action.replace("_", " ").capitalize())
    message = f"{label} is not possible: {ticket.number} is {status_label(ticket.status)}."
    if reason:
        message = f"{message} {reason}"
    return TransitionNotAllowed(message, ticket=ticket, action=action)


def actor_user(actor):
    """The actor as a user, or None for jobs and customers (strings or None)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def lock_ticket(ticket: RefreshTicket | int) -> RefreshTicket:
    """Re-read the ticket under a row lock (ordered writers wait, then see the new status)."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    return (
        RefreshTicket.objects.select_for_update(of=("self",))
        .select_related("config", "existing_system", "replacement_system")
        .get(pk=pk)
    )


def lock_tickets(ids: Iterable[int]) -> list[RefreshTicket]:
    """Lock several tickets in primary-key order (no deadlock between two bulk actions)."""
    return list(
        RefreshTicket.objects.select_for_update(of=("self",))
        .select_related("config", "existing_system", "replacement_system")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )


def check_transition(ticket: RefreshTicket, action: str, *, actor=None) -> None:
    """Raise when ``action`` does not apply now (state, condition) or ``actor`` may not take it."""
    method = getattr(ticket, action)
    if not can_proceed(method, check_conditions=False):
        raise not_allowed(ticket, action)
    if not can_proceed(method):
        meta = method._django_fsm
        transition = meta.get_transition(ticket.status)
        reasons = [
            _CONDITION_MESSAGES.get(condition, "A condition is not met.")
            for condition in (transition.conditions or [])
            if not condition(ticket)
        ]
        raise not_allowed(ticket, action, " ".join(reasons))
    user = actor_user(actor)
    if user is not None and not has_transition_perm(method, user):
        raise TransitionDenied(
            f"You may not {ACTION_LABELS.get(action, action).lower()} {ticket.number}."
        )


def audit(
    *,
    ticket: RefreshTicket,
    source: str,
    target: str,
    action: str,
    actor=None,
    actor_label: str = "",
    note: str = "",
    at=None,
    stay_seconds: float | None = None,
) -> RefreshTicketAudit:
    """The audit row of a transition made ``at`` (default now); ``stay_seconds`` is how
    long the ticket had been in ``source`` (the refresh dashboard's days per status)."""
    user = actor_user(actor)
    return RefreshTicketAudit.objects.create(
        ticket=ticket,
        actor=user,
        actor_job="" if user else (actor_label or "system")[:80],
        transition=action,
        from_status=source,
        to_status=target,
        note=note,
        stay_seconds=stay_seconds,
        support_team_id=ticket.support_team_id,
        **({"created_at": at} if at is not None else {}),
    )


def schedule_effects(
    *, ticket_id: int, source: str, target: str, forget_counts: bool = True, reason: str = ""
) -> None:
    """Enqueue the transition's jobs (emails, ITSM) to run after commit.

    Also drops the cached status counts, now and again after commit (a reader
    between the two would cache the old numbers).
    """
    if forget_counts:
        forget_status_counts()
    effects_after_transition(ticket_id=ticket_id, source=source, target=target, reason=reason)


def forget_status_counts() -> None:
    counts_changed()
    transaction.on_commit(counts_changed)


def run_transition(
    *,
    ticket: RefreshTicket,
    action: str,
    actor=None,
    actor_label: str = "",
    note: str = "",
    extra_fields: Iterable[str] = (),
    args: tuple = (),
    check_permission: bool = True,
    locked: bool = False,
    effect_reason: str = "",
) -> RefreshTicket:
    """Drive one transition on a locked ticket; must run inside ``transaction.atomic``.

    Returns the locked, saved ticket. ``extra_fields`` are fields the caller set
    on the locked instance before (pass ``locked=True`` with that instance).
    """
    current = ticket if locked else lock_ticket(ticket)
    check_transition(current, action, actor=actor if check_permission else None)
    source, entered = current.status, current.status_changed_at
    getattr(current, action)(*args)
    current.status_changed_at = now = timezone.now()
    fields = {"status", "status_changed_at", "updated_at", *ACTION_FIELDS[action], *extra_fields}
    current.save(update_fields=sorted(fields))
    audit(
        ticket=current,
        source=source,
        target=current.status,
        action=action,
        actor=actor,
        actor_label=actor_label,
        note=note,
        # The row is dated as the status change, so the stay it ends is exactly
        # the time between two transition rows (what migration 0009 fills in).
        at=now,
        stay_seconds=(now - entered).total_seconds() if entered else None,
    )
    schedule_effects(
        ticket_id=current.pk, source=source, target=current.status, reason=effect_reason
    )
    return current
