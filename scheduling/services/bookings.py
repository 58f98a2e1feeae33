"""Bookings: take, move and give back a place in a slot.

Booking never double-books: a slot's ``booked_count`` only grows through one
conditional UPDATE (``booked_count < capacity``), the database refuses a count
above capacity, and it allows one active booking per booked object.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import SupportTeam

from ..calendar import business_calendar
from ..exceptions import SlotUnavailable
from ..models import Booking, ScheduleSlot

ALREADY_BOOKED_MESSAGE = "This already has an appointment. Reschedule it instead of booking again."


def _booked_key(obj) -> tuple[ContentType, str]:
    if obj is None or obj.pk is None:
        raise ValueError("Only a saved object can be booked.")
    return ContentType.objects.get_for_model(obj), str(obj.pk)


@transaction.atomic
def booking_create(*, slot_id: int, booked_object, booked_by=None) -> Booking:
    """Book one place in the slot for ``booked_object``.

    Takes a place only while the slot is not deleted, not started and has free
    capacity, in one conditional UPDATE, so concurrent attempts never exceed
    capacity. Raises ``SlotUnavailable`` when no place was left and
    ``ValidationError`` when the object already has an active booking (use
    ``booking_reschedule``).
    """
    booked_type, booked_id = _booked_key(booked_object)
    if Booking.objects.filter(
        booked_type=booked_type, booked_id=booked_id, cancelled_at__isnull=True
    ).exists():
        raise ValidationError(ALREADY_BOOKED_MESSAGE)
    taken = ScheduleSlot.objects.filter(
        pk=slot_id,
        deleted_at__isnull=True,
        start__gt=timezone.now(),
        booked_count__lt=F("capacity"),
    ).update(booked_count=F("booked_count") + 1)
    if not taken:
        raise SlotUnavailable()
    try:
        with transaction.atomic():
            return Booking.objects.create(
                slot_id=slot_id,
                booked_type=booked_type,
                booked_id=booked_id,
                booked_by=booked_by,
            )
    except IntegrityError as exc:
        # Two requests for the same object at once: the partial unique index won.
        raise ValidationError(ALREADY_BOOKED_MESSAGE) from exc


GENERIC_SLOT_MINUTES = 30


@transaction.atomic
def booking_create_generic(*, team: SupportTeam, day: dt.date, booked_object, booked_by=None):
    """Book ``booked_object`` on the team's generic 12:00 AM slot of ``day``.

    For deliveries without a customer (Otto's generic slot): the slot is created
    if missing, is never offered to customers (``slots_bookable`` and free
    capacity leave it out) and grows by one place per booking, so it never takes
    capacity from customer slots. Raises ``ValidationError`` when the object
    already has an active booking.
    """
    booked_type, booked_id = _booked_key(booked_object)
    if Booking.objects.filter(
        booked_type=booked_type, booked_id=booked_id, cancelled_at__isnull=True
    ).exists():
        raise ValidationError(ALREADY_BOOKED_MESSAGE)
    start = business_calendar().at(day, dt.time(0, 0))
    slot = ScheduleSlot.objects.filter(team=team, start=start, generic=True).first()
    if slot is None:
        try:
            with transaction.atomic():
                slot = ScheduleSlot.objects.create(
                    team=team,
                    start=start,
                    end=start + dt.timedelta(minutes=GENERIC_SLOT_MINUTES),
                    capacity=0,
                    generic=True,
                    location_note="No customer: generic delivery slot",
                )
        except IntegrityError:
            slot = ScheduleSlot.objects.get(team=team, start=start, generic=True)
    ScheduleSlot.objects.filter(pk=slot.pk).update(
        capacity=F("capacity") + 1, booked_count=F("booked_count") + 1
    )
    return Booking.objects.create(
        slot=slot, booked_type=booked_type, booked_id=booked_id, booked_by=booked_by
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, by=None, reason: str = "") -> Booking:
    """Cancel an active booking and give its place back to the slot.

    The booking row stays for history. Cancelling a cancelled booking changes
    nothing.
    """
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.cancelled_at is not None:
        return locked
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = by
    locked.cancel_reason = reason[:200]
    locked.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    ScheduleSlot.objects.filter(pk=locked.slot_id, booked_count__gt=0).update(
        booked_count=F("booked_count") - 1
    )
    booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = (
        locked.cancelled_at,
        locked.cancelled_by,
        locked.cancel_reason,
    )
    return locked


@transaction.atomic
def booking_reschedule(*, booking: Booking, new_slot_id: int, by=None) -> Booking:
    """Move an active booking to another slot: release and rebook in one transaction.

    If the new slot has no place left, ``SlotUnavailable`` is raised and the old
    booking stays exactly as it was.
    """
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.cancelled_at is not None:
        raise ValidationError("This booking was cancelled; book a new slot instead.")
    if locked.slot_id == new_slot_id:
        return locked
    booking_cancel(booking=locked, by=by, reason="Rescheduled")
    return booking_create(slot_id=new_slot_id, booked_object=locked.booked_object, booked_by=by)
