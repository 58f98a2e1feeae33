"""Remote deliveries: the shipment's tracking number and carrier; the group
the replacement is placed in.

Staff enter them on a ticket's page or paste many on the tracking page
(``tickets_set_tracking_bulk``); the ITSM poll and the API may set them too.
The customer's email waits until both the replacement and the number are
known, goes once per number, and a changed number sends a correction
(``refresh.services.jobs.ticket_send_tracking_email``).
"""

from __future__ import annotations

import re

from django.db import transaction

from refresh.choices import Carrier, EventKind, RefreshStyle
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import RefreshTicket
from refresh.models.shipping import guess_carrier

from .._core import actor_user, lock_ticket
from ..effects import effects_after_replacement_assigned, effects_after_tracking_set
from .events import _record_event

TRACKING_PERMISSION = "refresh.assign_replacement_refreshticket"


def clean_tracking(*, number: str, carrier: str = "") -> tuple[str, str]:
    """A tracking number without spaces and its carrier (named, else guessed), or
    ``RefreshError`` saying what is wrong."""
    number = "".join((number or "").split()).upper()
    if not number:
        raise RefreshError("Type the tracking number.")
    if len(number) > 120 or not re.fullmatch(r"[A-Z0-9]+", number):
        raise RefreshError(
            f"“{number[:40]}” is not a tracking number (letters and digits, at most 120)."
        )
    carrier = (carrier or "").strip().lower()
    by_label = {label.lower(): value for value, label in Carrier.choices}
    carrier = by_label.get(carrier, carrier)
    if carrier and carrier not in Carrier.values:
        names = ", ".join(Carrier.labels)
        raise RefreshError(f"Unknown carrier “{carrier}”: use one of {names}, or leave it blank.")
    return number, carrier or guess_carrier(number)


def check_trackable(ticket: RefreshTicket) -> None:
    """Only an open remote ticket ships."""
    if ticket.style != RefreshStyle.REMOTE:
        raise RefreshError(
            f"{ticket.number} is {ticket.get_style_display()}: only remote tickets ship."
        )
    if ticket.is_final:
        raise RefreshError(f"{ticket.number} is {ticket.get_status_display()}.")


@transaction.atomic
def ticket_set_tracking_number(
    *,
    ticket: RefreshTicket | int,
    tracking_number: str,
    carrier: str = "",
    actor=None,
    job: str = "itsm_poll",
) -> RefreshTicket:
    """Record the shipment's tracking number (and carrier) of an open remote ticket.

    The same number again changes nothing and sends nothing. A new or changed
    number writes a "Tracking number" event and, after commit, queues the
    customer's tracking email (sent once both the replacement and the number
    are known; a changed number is a correction).
    """
    user = actor_user(actor)
    if user is not None and not user.has_perm(TRACKING_PERMISSION):
        raise TransitionDenied("You may not enter tracking numbers.")
    current = lock_ticket(ticket)
    check_trackable(current)
    number, carrier = clean_tracking(number=tracking_number, carrier=carrier)
    if (number, carrier) == (current.tracking_number, current.tracking_carrier):
        return current
    previous = current.tracking_number
    current.tracking_number, current.tracking_carrier = number, carrier
    current.save(update_fields=["tracking_number", "tracking_carrier", "updated_at"])
    carrier_label = Carrier(carrier).label if carrier else "carrier unknown"
    summary = (
        f"Tracking number {previous} → {number} ({carrier_label})"
        if previous and previous != number
        else f"Tracking number {number} ({carrier_label})"
    )
    _record_event(
        ticket=current,
        kind=EventKind.TRACKING,
        summary=summary,
        payload={"from": previous, "to": number, "carrier": carrier},
        actor=actor,
        actor_label=job,
    )
    if number != previous:
        effects_after_tracking_set(ticket_id=current.pk)
    return current


@transaction.atomic
def ticket_set_group(*, ticket: RefreshTicket | int, group: str, actor) -> RefreshTicket:
    """Override the group this ticket's replacement is placed in (blank: the config's).

    Writes an event naming both; the ITSM hears the group with the replacement.
    """
    user = actor_user(actor)
    if user is not None and not user.has_perm(TRACKING_PERMISSION):
        raise TransitionDenied("You may not change the replacement's group.")
    current = lock_ticket(ticket)
    if current.is_final:
        raise RefreshError(f"{current.number} is {current.get_status_display()}.")
    group = " ".join((group or "").split())[:120]
    if group == current.replacement_group:
        return current
    before = current.group
    current.replacement_group = group
    current.save(update_fields=["replacement_group", "updated_at"])
    _record_event(
        ticket=current,
        kind=EventKind.REPLACEMENT_CHANGED,
        summary=f"Group {before or 'none'} → {current.group or 'none'}"
        + ("" if group else " (the config's)"),
        payload={"group_from": before, "group_to": current.group},
        actor=actor,
    )
    if current.replacement_system_id and before != current.group:
        effects_after_replacement_assigned(ticket_id=current.pk)  # the ITSM hears the group
    return current
