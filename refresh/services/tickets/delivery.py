"""From replacement to completion: assigning the replacement, the ITSM
existence lookup's outcome, slots and bookings, installed and complete, and
staff hold, resume and cancel.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from refresh.choices import (
    EventKind,
    RefreshStyle,
    TicketStatus,
)
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import (
    RefreshTicket,
    System,
)

from .._core import (
    actor_user,
    check_transition,
    lock_ticket,
    not_allowed,
    run_transition,
)
from ..effects import effects_after_lookup_requested, effects_after_replacement_assigned
from .creation import validate_replacement
from .events import _record_event

S = TicketStatus


# --- replacement, ITSM, delivery ------------------------------------------------
@transaction.atomic
def ticket_assign_replacement(
    *, ticket: RefreshTicket, system: System | None, actor
) -> RefreshTicket:
    """Single-ticket edit: swap the replacement hardware. The status does not change
    (advancing is the order group's job: ``tickets_assign_replacements_bulk``)."""
    current = lock_ticket(ticket)
    if current.is_final:
        raise not_allowed(
            current, "advance_with_replacement", "Closed tickets keep their hardware."
        )
    user = actor_user(actor)
    if user is not None and not user.has_perm("refresh.assign_replacement_refreshticket"):
        raise TransitionDenied("You may not assign replacement systems.")
    if system is None and current.status != S.PENDING_ORDERING:
        raise RefreshError("Only a ticket still pending ordering can lose its replacement.")
    if system is not None:
        validate_replacement(
            existing=current.existing_system, replacement=system, ticket_id=current.pk
        )
    previous = current.replacement_system
    current.replacement_system = system
    current.save(update_fields=["replacement_system", "updated_at"])
    _record_event(
        ticket=current,
        kind=EventKind.REPLACEMENT_CHANGED,
        summary=(
            f"Replacement {previous.serial_number if previous else 'none'} → "
            f"{system.serial_number if system else 'none'}"
        ),
        payload={
            "from": previous.serial_number if previous else "",
            "to": system.serial_number if system else "",
        },
        actor=actor,
    )
    if system is not None:
        effects_after_replacement_assigned(ticket_id=current.pk)
    return current


@transaction.atomic
def ticket_itsm_found(*, ticket: RefreshTicket, job: str = "itsm_existence") -> RefreshTicket:
    """pending_itsm_existence → by style: on-site styles pending_slot_discovery;
    remote pending_delivery; no_customer delivery_scheduled (generic 12 AM slot)."""
    current = lock_ticket(ticket)
    fields = []
    if current.style == RefreshStyle.NO_CUSTOMER and current.status == S.PENDING_ITSM_EXISTENCE:
        from scheduling.calendar import business_calendar, local_today
        from scheduling.services import booking_create_generic

        calendar = business_calendar()
        day = calendar.next_business_day(local_today())
        current.delivery_at = calendar.at(day, dt.time(0, 0))
        fields.append("delivery_at")
        if current.support_team_id:
            # A real booking on the team's generic 12 AM slot: on the calendar and in
            # the ITSM like every delivery, without using customer capacity.
            _release_booking(current, by=None, reason="Replaced by the generic slot")
            current.booking = booking_create_generic(
                team=current.support_team, day=day, booked_object=current
            )
            fields.append("booking")
    return run_transition(
        ticket=current, action="itsm_found", actor_label=job, extra_fields=fields, locked=True
    )


@transaction.atomic
def ticket_itsm_lookup_failed(
    *, ticket: RefreshTicket, error: str, job: str = "itsm_existence"
) -> RefreshTicket:
    """Record a failed or empty ITSM existence lookup (the Problems tab counts them)."""
    current = lock_ticket(ticket)
    if current.status != S.PENDING_ITSM_EXISTENCE:
        raise not_allowed(current, "itsm_found")
    current.itsm_lookup_attempts += 1
    current.itsm_lookup_error = (error or "")[:2000]
    current.itsm_last_checked_at = timezone.now()
    current.save(
        update_fields=[
            "itsm_lookup_attempts",
            "itsm_lookup_error",
            "itsm_last_checked_at",
            "updated_at",
        ]
    )
    return current


@transaction.atomic
def ticket_itsm_lookup_request(*, ticket: RefreshTicket, actor) -> RefreshTicket:
    """Staff's "look up again now": queue the ITSM existence lookup after commit.

    Only for a ticket still pending ITSM existence; the lookup's outcome is what
    the job records (found → by style; missing → attempts and error)."""
    current = lock_ticket(ticket)
    if current.status != S.PENDING_ITSM_EXISTENCE:
        raise not_allowed(current, "itsm_found", "Only a ticket waiting for the ITSM is looked up.")
    effects_after_lookup_requested(ticket_id=current.pk)
    return current


@transaction.atomic
def ticket_slot_discovered(*, ticket: RefreshTicket, job: str = "slot_discovery") -> RefreshTicket:
    """pending_slot_discovery → pending_customer_scheduling (the team has capacity)."""
    return run_transition(ticket=ticket, action="slot_discovered", actor_label=job)


@transaction.atomic
def ticket_book_slot(
    *, ticket: RefreshTicket, slot_id: int, actor=None, actor_label: str = "customer"
) -> RefreshTicket:
    """Book a day-1 slot: pending_customer_scheduling → delivery_scheduled.

    On a delivery_scheduled ticket this moves the booking to the new slot and the
    status stays (staff assigning another slot). A full slot raises
    ``RefreshError`` with the scheduling message; nothing changes then.
    """
    from scheduling.exceptions import SlotUnavailable
    from scheduling.models import Booking
    from scheduling.services import booking_create, booking_reschedule

    current = lock_ticket(ticket)

    check_transition(current, "book_slot", actor=actor)
    by = actor_user(actor)
    active = (
        Booking.objects.filter(pk=current.booking_id, cancelled_at__isnull=True).first()
        if current.booking_id
        else None
    )
    previous_slot_id = active.slot_id if active else None
    try:
        if active is not None:
            booking = booking_reschedule(booking=active, new_slot_id=slot_id, by=by)
        else:
            booking = booking_create(slot_id=slot_id, booked_object=current, booked_by=by)
    except SlotUnavailable as exc:
        raise RefreshError(exc.message) from exc
    booking = Booking.objects.select_related("slot").get(pk=booking.pk)
    current.booking = booking
    result = run_transition(
        ticket=current,
        action="book_slot",
        actor=actor,
        actor_label=actor_label,
        args=(booking.slot.start,),
        extra_fields=["booking"],
        locked=True,
        note="Moved to another slot" if previous_slot_id else "",
    )
    _record_event(
        ticket=result,
        kind=EventKind.BOOKING,
        summary=(
            f"{'Moved' if previous_slot_id else 'Booked'}: "
            f"{timezone.localtime(booking.slot.start):%a %b %-d %Y, %-I:%M %p}"
        ),
        payload={"slot_id": booking.slot_id, "previous_slot_id": previous_slot_id},
        actor=actor,
        actor_label=actor_label,
    )
    return result


def _release_booking(ticket: RefreshTicket, *, by, reason: str) -> bool:
    from scheduling.models import Booking
    from scheduling.services import booking_cancel

    if not ticket.booking_id:
        return False
    booking = Booking.objects.filter(pk=ticket.booking_id).first()
    if booking is not None and booking.cancelled_at is None:
        booking_cancel(booking=booking, by=by, reason=reason)
    ticket.booking = None
    return True


def _release_and_run(
    ticket: RefreshTicket, action: str, reason: str, *, actor, actor_label: str, note: str
) -> RefreshTicket:
    """A transition that gives up the ticket's booking (checked before it is released)."""
    current = lock_ticket(ticket)
    check_transition(current, action, actor=actor)
    released = _release_booking(current, by=actor_user(actor), reason=reason)
    return run_transition(
        ticket=current,
        action=action,
        actor=actor,
        actor_label=actor_label,
        note=note,
        extra_fields=["booking"] if released else [],
        locked=True,
    )


@transaction.atomic
def ticket_request_reschedule(
    *, ticket: RefreshTicket, actor=None, actor_label: str = "customer", note: str = ""
) -> RefreshTicket:
    """delivery_scheduled → pending_customer_scheduling; the booking is released."""
    reason = "Reschedule requested"
    return _release_and_run(
        ticket, "request_reschedule", reason, actor=actor, actor_label=actor_label, note=note
    )


@transaction.atomic
def ticket_booking_slot_deleted(*, booking, by=None) -> bool:
    """A slot admin deleted the slot this ticket's booking is on.

    The booking is cancelled and, in the same transaction, a delivery_scheduled
    ticket goes back to pending_customer_scheduling with an audit row naming
    the slot admin; after commit the customer is emailed a fresh pick-slot link
    and the ITSM delivery task hears why. A held ticket forgets the appointment
    and resumes to picking a slot. Returns True when a customer was asked for a
    new time now. Called by ``scheduling.services.slot_delete`` (through
    ``settings.SCHEDULING_SLOT_DELETED_HANDLERS``).
    """
    from scheduling.services import booking_cancel

    by_user = actor_user(by)
    current = lock_ticket(int(booking.booked_id))
    booking_cancel(booking=booking, by=by_user, reason="Slot deleted")
    if current.booking_id != booking.pk:
        return False  # an old booking of this ticket: nothing else refers to it
    current.booking = None
    who = by_user.display_name if by_user else "a slot admin"
    if current.status == S.DELIVERY_SCHEDULED:
        run_transition(
            ticket=current,
            action="request_reschedule",
            actor=by,
            actor_label="slot_admin",
            note=f"The booked slot was deleted by {who}; the customer is asked for a new time.",
            extra_fields=["booking"],
            check_permission=False,
            locked=True,
            effect_reason="slot_deleted",
        )
        return True
    fields = ["booking", "updated_at"]
    if current.status == S.ON_HOLD and current.status_before_hold == S.DELIVERY_SCHEDULED:
        current.status_before_hold = S.PENDING_CUSTOMER_SCHEDULING
        current.delivery_at = None
        fields += ["status_before_hold", "delivery_at"]
    current.save(update_fields=fields)
    _record_event(
        ticket=current,
        kind=EventKind.BOOKING,
        summary=f"Booked slot deleted by {who}; the appointment is cancelled",
        payload={"slot_id": booking.slot_id},
        actor=by,
    )
    return False


@transaction.atomic
def ticket_mark_installed(
    *, ticket: RefreshTicket, actor=None, job: str = "itsm_poll", note: str = ""
) -> RefreshTicket:
    """delivery_scheduled / pending_delivery → installed (the ITSM says so)."""
    return run_transition(
        ticket=ticket, action="mark_installed", actor=actor, actor_label=job, note=note
    )


@transaction.atomic
def ticket_mark_complete(
    *, ticket: RefreshTicket, actor=None, job: str = "itsm_poll", note: str = ""
) -> RefreshTicket:
    """installed → complete (the ITSM closed the ticket)."""
    return run_transition(
        ticket=ticket, action="mark_complete", actor=actor, actor_label=job, note=note
    )


# --- staff: hold, resume, cancel ------------------------------------------------
@transaction.atomic
def ticket_hold(*, ticket: RefreshTicket, actor, note: str = "") -> RefreshTicket:
    """Any open status → on_hold, remembering the status it left."""
    return run_transition(ticket=ticket, action="hold", actor=actor, note=note)


@transaction.atomic
def ticket_resume(*, ticket: RefreshTicket, actor, note: str = "") -> RefreshTicket:
    """on_hold → the status it was held from."""
    return run_transition(ticket=ticket, action="resume", actor=actor, note=note)


@transaction.atomic
def ticket_cancel(
    *, ticket: RefreshTicket, actor=None, note: str = "", job: str = ""
) -> RefreshTicket:
    """Any non-final status → cancelled (never undone); an active booking is released."""
    return _release_and_run(
        ticket, "cancel", "Ticket cancelled", actor=actor, actor_label=job, note=note
    )
