"""ICS for booking emails, and the admin pages for every scheduling model."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from scheduling import calendar
from scheduling.ics import booking_ics
from scheduling.models import Booking, ClosureDay, ScheduleSlot
from scheduling.services import (
    booking_cancel,
    booking_create,
    closure_day_set,
    slots_generate,
)
from tests.accounts.factories import SupportTeamFactory

from .factories import ScheduleSlotFactory, ScheduleSlotPreferenceFactory

pytestmark = pytest.mark.django_db

DETROIT = ZoneInfo("America/Detroit")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=DETROIT), tick=False):
        yield


def test_booking_ics_invite_and_cancellation():
    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=DETROIT)
    slot = ScheduleSlotFactory(start=start, location_note="Building A lobby")
    booking = booking_create(slot_id=slot.pk, booked_object=SupportTeamFactory())

    cal = Calendar.from_ical(
        booking_ics(
            booking=booking,
            summary="Computer replacement",
            description="Your new computer is delivered.",
            attendee_email="person@example.edu",
        )
    )
    assert str(cal["method"]) == "PUBLISH"
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == start
    assert event.decoded("dtend") == start + dt.timedelta(hours=1)
    assert str(event["summary"]) == "Computer replacement"
    assert str(event["location"]) == "Building A lobby"
    assert str(event["attendee"]) == "mailto:person@example.edu"
    uid = str(event["uid"])

    booking_cancel(booking=booking)
    cancelled = Calendar.from_ical(
        booking_ics(booking=booking, summary="Computer replacement", description="Cancelled.")
    )
    assert str(cancelled["method"]) == "CANCEL"
    (event,) = cancelled.walk("VEVENT")
    assert str(event["uid"]) == uid
    assert str(event["status"]) == "CANCELLED"


@pytest.fixture
def admin_client_with_data(client, superuser):
    team = SupportTeamFactory()
    ScheduleSlotPreferenceFactory(team=team)
    slots_generate(today=dt.date(2026, 11, 23))
    slot = ScheduleSlot.objects.first()
    booking_create(slot_id=slot.pk, booked_object=SupportTeamFactory())
    closure_day_set(date=dt.date(2026, 12, 28), name="Season day")
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "closureday",
        "scheduleslotpreference",
        "scheduleslot",
        "generatedday",
        "booking",
        "calendarfeedtoken",
    ],
)
def test_admin_changelists_render(admin_client_with_data, model):
    response = admin_client_with_data.get(reverse(f"admin:scheduling_{model}_changelist"))
    assert response.status_code == 200


def test_admin_slot_delete_action_cancels_bookings(admin_client_with_data):
    slot = ScheduleSlot.objects.filter(booked_count=1).get()
    admin_client_with_data.post(
        reverse("admin:scheduling_scheduleslot_changelist"),
        {"action": "delete_slots", "_selected_action": [slot.pk]},
    )
    slot.refresh_from_db()
    assert slot.deleted_at is not None
    assert Booking.objects.get().cancelled_at is not None


def test_admin_bulk_delete_of_closure_days_reopens_the_day(admin_client_with_data):
    assert not calendar.is_business_day(dt.date(2026, 12, 28))
    closure = ClosureDay.objects.get()
    admin_client_with_data.post(
        reverse("admin:scheduling_closureday_changelist"),
        {"action": "delete_selected", "_selected_action": [closure.pk], "post": "yes"},
    )
    assert not ClosureDay.objects.exists()
    assert calendar.is_business_day(dt.date(2026, 12, 28))


def test_admin_added_closure_day_closes_the_day_at_once(admin_client_with_data):
    day = dt.date(2026, 12, 29)
    assert calendar.is_business_day(day)
    response = admin_client_with_data.post(
        reverse("admin:scheduling_closureday_add"),
        {"date": "2026-12-29", "name": "Second season day"},
    )
    assert response.status_code == 302
    assert not calendar.is_business_day(day)
