"""Reads for the customer pages reached from emailed links (``refresh.customer``)."""

from __future__ import annotations

from refresh.choices import EventKind
from refresh.models import RefreshTicket
from scheduling.models import Booking, ScheduleSlot
from scheduling.selectors import slots_bookable


def ticket_for_customer_link(*, ticket_id: int) -> RefreshTicket | None:
    """The ticket an emailed link opens, with what the wizard and slot pages read."""
    return (
        RefreshTicket.objects.select_related(
            "config__peripheral_bundle",
            "support_team",
            "existing_system__hardware_model",
            "proposed_model",
            "chosen_model",
            "user",
            "delegate",
            "booking__slot",
        )
        .filter(pk=ticket_id)
        .first()
    )


def ticket_returned_note(*, ticket: RefreshTicket) -> str:
    """The approver's comment when the answers came back to the customer ("" if none)."""
    if ticket.wizard_submitted_at is not None:
        return ""
    event = (
        ticket.events.filter(kind=EventKind.COMMENT, summary__startswith="Returned to the customer")
        .order_by("-created_at", "-id")
        .first()
    )
    return (event.payload or {}).get("note", "") if event else ""


def ticket_bookable_slots(*, ticket: RefreshTicket) -> list[ScheduleSlot]:
    """Free slots of the ticket's support team, without the one it holds now."""
    if not ticket.support_team_id:
        return []
    qs = slots_bookable(team=ticket.support_team)
    if ticket.booking_id and ticket.booking and ticket.booking.cancelled_at is None:
        qs = qs.exclude(pk=ticket.booking.slot_id)
    return list(qs)


def ticket_booking(*, ticket: RefreshTicket) -> Booking:
    """The ticket's booking with its slot (after booking one)."""
    return Booking.objects.select_related("slot").get(pk=ticket.booking_id)
