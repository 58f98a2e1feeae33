"""Ticket events (ITSM pushes, changed locations, comments) and the job
bookkeeping: claim-once stamps, the ITSM ticket id.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from refresh.choices import (
    EventKind,
    TicketStatus,
)
from refresh.exceptions import RefreshError
from refresh.models import (
    RefreshTicket,
    RefreshTicketEvent,
)

from .._core import (
    actor_user,
    lock_ticket,
)
from ..effects import effects_after_event

S = TicketStatus


# --- events and job bookkeeping ---------------------------------------------------
def _record_event(
    *,
    ticket: RefreshTicket,
    kind: str,
    summary: str,
    payload: dict | None = None,
    actor=None,
    actor_label: str = "",
    itsm_synced_at=None,
) -> RefreshTicketEvent:
    user = actor_user(actor)
    event = RefreshTicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        summary=summary[:300],
        payload=payload or {},
        created_by=user,
        actor_label="" if user else (actor_label or "system")[:80],
        itsm_synced_at=itsm_synced_at,
    )
    effects_after_event(event_id=event.pk)
    return event


@transaction.atomic
def ticket_record_event(
    *,
    ticket: RefreshTicket,
    kind: str,
    summary: str,
    payload: dict | None = None,
    actor=None,
    actor_label: str = "",
    itsm_synced_at=None,
) -> RefreshTicketEvent:
    """Record something that happened to a ticket (ITSM pushed/seen, comment, …).

    After commit the ITSM push is enqueued (``effects_after_event``).
    """
    if kind not in EventKind.values:
        raise RefreshError(f"Unknown event kind {kind!r}.")
    return _record_event(
        ticket=ticket,
        kind=kind,
        summary=summary,
        payload=payload,
        actor=actor,
        actor_label=actor_label,
        itsm_synced_at=itsm_synced_at,
    )


def ticket_event_mark_synced(*, event: RefreshTicketEvent) -> bool:
    """Mark an event written to the ITSM; False when another worker already did."""
    now = timezone.now()
    updated = RefreshTicketEvent.objects.filter(pk=event.pk, itsm_synced_at__isnull=True).update(
        itsm_synced_at=now
    )
    if updated:
        event.itsm_synced_at = now
    return bool(updated)


# Timestamp fields jobs claim once (idempotency: only the first claim wins).
CLAIMABLE_FIELDS = frozenset(
    {
        "first_reminder_sent_at",
        "second_reminder_sent_at",
        "slack_notified_at",
        "mac_engineering_notified_at",
        "prestage_closed_at",
    }
)


def ticket_claim_once(*, ticket: RefreshTicket, field: str) -> bool:
    """Set ``field`` to now if still empty; True only for the caller that set it.

    Jobs call this before sending a reminder, a Slack notice, the Mac engineering
    email or closing the prestage task, so a retried job sends nothing twice.
    """
    if field not in CLAIMABLE_FIELDS:
        raise ValueError(f"{field} is not a claimable ticket timestamp.")
    now = timezone.now()
    updated = RefreshTicket.objects.filter(pk=ticket.pk, **{f"{field}__isnull": True}).update(
        **{field: now, "updated_at": now}
    )
    if updated:
        setattr(ticket, field, now)
    return bool(updated)


@transaction.atomic
def ticket_set_itsm_ticket(
    *, ticket: RefreshTicket, itsm_ticket_id: str, itsm_ticket_url: str = "", job: str = "itsm"
) -> RefreshTicket:
    """Link the ITSM ticket created for this refresh ticket."""
    current = lock_ticket(ticket)
    current.itsm_ticket_id = str(itsm_ticket_id)[:60]
    current.itsm_ticket_url = itsm_ticket_url
    current.save(update_fields=["itsm_ticket_id", "itsm_ticket_url", "updated_at"])
    return current
