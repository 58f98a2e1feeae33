"""Booking, cancelling, rescheduling and deleting slots."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from scheduling.exceptions import SlotUnavailable
from scheduling.models import Booking, ScheduleSlot
from scheduling.selectors import booking_active_for, bookings_for
from scheduling.services import (
    booking_cancel,
    booking_create,
    booking_reschedule,
    slot_create_one_off,
    slot_delete,
)
from tests.accounts.factories import SupportTeamFactory

from .factories import ScheduleSlotFactory

pytestmark = pytest.mark.django_db

DETROIT = ZoneInfo("America/Detroit")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=DETROIT), tick=False):
        yield


@pytest.fixture
def slot():
    return ScheduleSlotFactory(capacity=2)


def thing():
    """Something to book (any saved model works; refresh tickets and orders use this)."""
    return SupportTeamFactory()


def test_booking_takes_a_place_and_records_who(slot, superuser):
    obj = thing()
    booking = booking_create(slot_id=slot.pk, booked_object=obj, booked_by=superuser)
    slot.refresh_from_db()
    assert slot.booked_count == 1
    assert booking.booked_object == obj
    assert booking.booked_by == superuser
    assert booking_active_for(obj=obj) == booking


def test_full_slot_is_unavailable_with_a_clear_message(slot):
    booking_create(slot_id=slot.pk, booked_object=thing())
    booking_create(slot_id=slot.pk, booked_object=thing())
    with pytest.raises(SlotUnavailable, match="no longer available. Please pick another one"):
        booking_create(slot_id=slot.pk, booked_object=thing())
    slot.refresh_from_db()
    assert slot.booked_count == 2
    assert Booking.objects.count() == 2


def test_started_or_deleted_slots_are_unavailable():
    past = ScheduleSlotFactory(start=dt.datetime(2026, 11, 23, 7, 0, tzinfo=DETROIT))
    with pytest.raises(SlotUnavailable):
        booking_create(slot_id=past.pk, booked_object=thing())
    gone = ScheduleSlotFactory()
    slot_delete(slot=gone)
    with pytest.raises(SlotUnavailable):
        booking_create(slot_id=gone.pk, booked_object=thing())


def test_second_active_booking_must_reschedule(slot):
    obj = thing()
    booking_create(slot_id=slot.pk, booked_object=obj)
    other = ScheduleSlotFactory()
    with pytest.raises(ValidationError, match="Reschedule"):
        booking_create(slot_id=other.pk, booked_object=obj)
    other.refresh_from_db()
    assert other.booked_count == 0


def test_cancel_frees_the_place_and_keeps_history(slot, superuser):
    obj = thing()
    booking = booking_create(slot_id=slot.pk, booked_object=obj)
    booking_cancel(booking=booking, by=superuser, reason="Customer asked")
    booking_cancel(booking=booking, by=superuser)  # twice changes nothing
    slot.refresh_from_db()
    assert slot.booked_count == 0
    assert booking.cancelled_at is not None
    assert booking_active_for(obj=obj) is None
    assert list(bookings_for(obj=obj)) == [booking]
    again = booking_create(slot_id=slot.pk, booked_object=obj)  # may book anew
    assert again.pk != booking.pk


def test_reschedule_moves_in_one_step(slot):
    obj = thing()
    booking = booking_create(slot_id=slot.pk, booked_object=obj)
    target = ScheduleSlotFactory(capacity=1)
    moved = booking_reschedule(booking=booking, new_slot_id=target.pk)
    slot.refresh_from_db()
    target.refresh_from_db()
    assert (slot.booked_count, target.booked_count) == (0, 1)
    assert moved.slot_id == target.pk
    booking.refresh_from_db()
    assert booking.cancel_reason == "Rescheduled"


def test_reschedule_into_a_full_slot_keeps_the_old_booking(slot):
    obj = thing()
    booking = booking_create(slot_id=slot.pk, booked_object=obj)
    full = ScheduleSlotFactory(capacity=1)
    booking_create(slot_id=full.pk, booked_object=thing())
    with pytest.raises(SlotUnavailable):
        booking_reschedule(booking=booking, new_slot_id=full.pk)
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.cancelled_at is None
    assert slot.booked_count == 1
    assert booking_active_for(obj=obj) == booking


def test_delete_refuses_a_slot_with_bookings_unless_told_to_cancel(slot, superuser):
    booking = booking_create(slot_id=slot.pk, booked_object=thing())
    with pytest.raises(ValidationError, match="1 active booking"):
        slot_delete(slot=slot, by=superuser)
    assert slot_delete(slot=slot, by=superuser, cancel_bookings=True).cancelled == 1
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.cancel_reason == "Slot deleted"
    assert slot.deleted_at is not None
    assert slot.booked_count == 0


def test_one_off_slot(support_team, superuser):
    start = dt.datetime(2026, 11, 24, 13, 0, tzinfo=DETROIT)
    slot = slot_create_one_off(
        team=support_team, start=start, duration_minutes=90, capacity=3, created_by=superuser
    )
    assert slot.end == start + dt.timedelta(minutes=90)
    assert slot.is_one_off
    with pytest.raises(ValidationError, match="future"):
        slot_create_one_off(team=support_team, start=start - dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="capacity"):
        slot_create_one_off(team=support_team, start=start, capacity=0)


def test_database_refuses_overbooking(slot):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleSlot.objects.filter(pk=slot.pk).update(booked_count=3)


def test_bookable_slots_start_on_the_next_business_day(support_team):
    from scheduling.selectors import slots_bookable
    from scheduling.services import closure_day_set

    def at(day, hour):
        start = dt.datetime(2026, 11, day, hour, tzinfo=DETROIT)
        return ScheduleSlotFactory(team=support_team, start=start)

    today_later = at(23, 14)  # today (Monday): not bookable any more
    tuesday = at(24, 9)
    full = at(24, 11)
    wednesday = at(25, 9)
    monday_closed_later = at(30, 9)
    deleted = at(30, 11)
    other_team = ScheduleSlotFactory(start=tuesday.start)
    booking_create(slot_id=full.pk, booked_object=thing())
    booking_create(slot_id=full.pk, booked_object=thing())
    slot_delete(slot=deleted)
    closure_day_set(date=dt.date(2026, 11, 30), name="Season day")

    bookable = list(slots_bookable(team=support_team))

    assert bookable == [tuesday, wednesday]
    assert today_later not in bookable
    assert monday_closed_later not in bookable
    assert other_team not in bookable
