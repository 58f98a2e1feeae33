"""What the refresh jobs share: the ticket as a job reads it, links, email context."""

from __future__ import annotations

from common.effects import EffectNotReady
from integrations.itsm import get_itsm_client
from notifications.links import access_link_issue
from refresh.choices import RefreshStyle
from refresh.choices import TicketStatus as S
from refresh.models import RefreshTicket

ITSM_TASK_TITLES = [
    "Order the replacement",
    "Prestage the replacement",
    "Deliver and set up",
    "Collect the old device",
]
PRESTAGE_TASK = "Prestage the replacement"
DELIVERY_TASK = "Deliver and set up"
BATCH = 500


def ticket_for_job(ticket_id: int) -> RefreshTicket | None:
    """The ticket with everything a job's email or ITSM call reads (None if deleted)."""
    return (
        RefreshTicket.objects.select_related(
            "user",
            "delegate",
            "config",
            "support_team",
            "existing_system",
            "replacement_system",
            "booking__slot",
        )
        .filter(pk=ticket_id)
        .first()
    )


def customer_link(ticket: RefreshTicket, *, purpose: str, email: str) -> str:
    """The link's URL for an email: the token sealed, opened only when sent."""
    issued = access_link_issue(target=ticket, purpose=purpose, email=email)
    return issued.url(f"/refresh/c/{issued.ref}/")


def delivery_location(ticket: RefreshTicket) -> str:
    """Where the day-1 delivery happens, as the customer's emails name it.

    User-specified location: the place the wizard showed the customer (the
    config's unit-specified location), never the old system's building and room;
    the customer's own notes follow in ``location_notes``. Otherwise the
    ticket's building and room (falling back to the config's text).
    """
    unit = ticket.config.unit_specified_location.strip()
    if ticket.style == RefreshStyle.USER_SPECIFIED_LOCATION:
        return unit or "the location your unit specified"
    return " ".join(p for p in [ticket.location_building, ticket.location_room] if p) or unit


def email_context(ticket: RefreshTicket, **extra) -> dict:
    person = ticket.delegate or ticket.user
    return {
        "ticket": ticket,
        "person_name": (person.get_short_name() if person else "") or "there",
        "for_delegate": bool(ticket.delegate_id),
        "user_name": ticket.user.display_name if ticket.user_id else "",
        "team": ticket.support_team,
        "is_user_specified_location": ticket.style == RefreshStyle.USER_SPECIFIED_LOCATION,
        "location": delivery_location(ticket),
        "location_notes": ticket.location_notes.strip(),
        **extra,
    }


def itsm_ticket_required(ticket: RefreshTicket) -> str | None:
    """The ticket's ITSM ticket id; "not ready yet" (the outbox retries) while its
    creation is still pending. None only for a ticket cancelled before it had one."""
    if ticket.itsm_ticket_id:
        return ticket.itsm_ticket_id
    if ticket.status == S.CANCELLED:
        return None
    raise EffectNotReady(f"refresh ticket {ticket.pk} has no ITSM ticket yet")


def itsm_comment_delivery_task(ticket: RefreshTicket, text: str) -> None:
    """Tell the ITSM's delivery task about an appointment change (tasks follow the ticket)."""
    client = get_itsm_client()
    task = next(
        (
            t
            for t in client.get_ticket(ticket_id=ticket.itsm_ticket_id).tasks
            if t.title == DELIVERY_TASK
        ),
        None,
    )
    if task is not None and not task.completed:
        client.comment_task(ticket_id=ticket.itsm_ticket_id, task_id=task.id, comment=text)
