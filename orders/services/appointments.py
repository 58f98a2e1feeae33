"""Staff move or cancel a software install's appointment.

Every change goes through ``scheduling.services`` (a conditional UPDATE takes
the place: never a double booking; a full slot leaves the old booking as it
was), writes one audit row on the order, and emails the end user the new time
with an .ics (or the cancellation, which removes the visit from their calendar).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from orders.choices import OrderStatus, OrderType
from orders.exceptions import OrderError
from orders.models import Order

from ._core import order_audit_add, order_lock, status_label
from .staff import require_orders_staff

OPEN_FOR_APPOINTMENTS = (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)


def appointment_label(booking) -> str:
    """ "Tuesday, December 1, 9:00 AM" in local time (for notes and emails)."""
    start = timezone.localtime(booking.slot.start)
    return f"{start:%A, %B} {start.day}, {start:%-I:%M %p}"


def _require_open_install(order: Order) -> None:
    if order.order_type != OrderType.INSTALL_SOFTWARE:
        raise OrderError("Only software installs have an appointment.")
    if order.status not in OPEN_FOR_APPOINTMENTS:
        raise OrderError(
            f"Order {order.number} is {status_label(order.status).lower()}; "
            "its appointment can no longer change."
        )


def order_appointment_active(*, order: Order):
    """The install's active booking (slot and team loaded), or None."""
    from scheduling.selectors import booking_active_for

    return booking_active_for(obj=order)


@transaction.atomic
def order_appointment_move(*, order: Order, actor, slot_id: int, note: str = ""):
    """Move the install's appointment to ``slot_id`` (or book it when there is none).

    Raises ``scheduling.exceptions.SlotUnavailable`` when the slot is full, deleted
    or started (the old appointment stays), ``OrderError`` for a closed order or
    the same slot. One audit row; the end user is emailed the new time with an
    .ics after commit, and the owner is told when someone else moved it.
    """
    from scheduling.services import booking_create, booking_reschedule

    require_orders_staff(actor)
    order = order_lock(order_id=order.pk)
    _require_open_install(order)
    current = order_appointment_active(order=order)
    if current is not None and current.slot_id == slot_id:
        raise OrderError("The appointment is already at that time; choose another slot.")
    if current is None:
        booking = booking_create(slot_id=slot_id, booked_object=order, booked_by=actor)
    else:
        booking_reschedule(booking=current, new_slot_id=slot_id, by=actor)
        current.refresh_from_db(fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    booking = order_appointment_active(order=order)
    before = appointment_label(current) if current else "none"
    after = appointment_label(booking)
    order_audit_add(
        order=order,
        actor=actor,
        transition="appointment_moved" if current else "appointment_booked",
        from_status=order.status,
        to_status=order.status,
        note=f"Appointment: {before} → {after}." + (f" {note.strip()}" if note.strip() else ""),
        changes={"appointment": [before, after]},
    )
    from .notify import order_notify_owner
    from .notify_desk import order_appointment_changed_notify

    order_appointment_changed_notify(
        order=order, booking=booking, previous=current, key=f"order-{order.pk}-appt-{booking.pk}"
    )
    if order.owner_id and order.owner_id != actor.pk:
        order_notify_owner(
            order=order,
            key=f"order-{order.pk}-appt-{booking.pk}-owner",
            summary=f"{actor} moved the appointment of order {order.number} to {after}.",
        )
    return booking


@transaction.atomic
def order_appointment_cancel(*, order: Order, actor, reason: str = ""):
    """Cancel the install's active appointment (the slot's place is given back).

    Raises ``OrderError`` when there is none or the order is closed. One audit
    row; the end user is emailed the cancellation with an .ics that removes the
    visit from their calendar.
    """
    from scheduling.services import booking_cancel

    require_orders_staff(actor)
    order = order_lock(order_id=order.pk)
    _require_open_install(order)
    current = order_appointment_active(order=order)
    if current is None:
        raise OrderError(f"Order {order.number} has no appointment to cancel.")
    reason = reason.strip()
    booking_cancel(booking=current, by=actor, reason=reason or "Cancelled by IT")
    when = appointment_label(current)
    order_audit_add(
        order=order,
        actor=actor,
        transition="appointment_cancelled",
        from_status=order.status,
        to_status=order.status,
        note=f"Appointment of {when} cancelled." + (f" {reason}" if reason else ""),
        changes={"appointment": [when, "none"]},
    )
    from .notify_desk import order_appointment_changed_notify

    order_appointment_changed_notify(
        order=order,
        booking=current,
        previous=None,
        key=f"order-{order.pk}-appt-{current.pk}-cancelled",
        reason=reason,
    )
    return current
