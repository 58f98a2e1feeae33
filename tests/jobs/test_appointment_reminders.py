"""Appointment reminders (issue 11, item 2): one email on the business day
before day 1, from 10:05, with time, place, what to prepare, the .ics and the
reschedule link; never twice, never for a cancelled or moved booking."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications.models import OutboundEmail
from refresh import services
from refresh.choices import TicketStatus
from refresh.models import RefreshConfig
from refresh.services import jobs
from scheduling.models import ScheduleSlot

S = TicketStatus
DETROIT = ZoneInfo("America/Detroit")
pytestmark = pytest.mark.django_db


def at(d, hh, mm=0):
    return dt.datetime(2026, 12, d, hh, mm, tzinfo=DETROIT)


def slot_on(team, when):
    return ScheduleSlot.objects.create(
        team=team, start=when, end=when + dt.timedelta(hours=1), capacity=3
    )


def reminders():
    return OutboundEmail.objects.filter(template="refresh_job_appointment_reminder")


@pytest.fixture
def booked(flow, team):
    """booked(day=4) -> a ticket booked on Dec <day> 2026 at 09:00, booked on Dec 1."""

    def _booked(day=4):
        with time_machine.travel(at(1, 9), tick=False):
            ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
            RefreshConfig.objects.filter(pk=ticket.config_id).update(
                customer_message="Back up your files and bring your charger."
            )
            return services.ticket_book_slot(ticket=ticket, slot_id=slot_on(team, at(day, 9)).pk)

    return _booked


def test_one_reminder_on_the_business_day_before_with_everything_the_customer_needs(booked):
    ticket = booked(day=4)  # Friday
    with time_machine.travel(at(2, 10, 6), tick=False):  # Wednesday: two days before
        assert jobs.tickets_send_appointment_reminders() == 0
    with time_machine.travel(at(3, 10, 4), tick=False):  # Thursday, before 10:05
        assert jobs.tickets_send_appointment_reminders() == 0
    with time_machine.travel(at(3, 10, 6), tick=False):
        assert jobs.tickets_send_appointment_reminders() == 1
        assert jobs.tickets_send_appointment_reminders() == 0  # never twice
    with time_machine.travel(at(3, 16), tick=False):
        assert jobs.tickets_send_appointment_reminders() == 0

    email = reminders().get()
    assert email.to == [ticket.user.email]
    text = email.body_text
    assert "delivered on Friday, December 4, 2026 at 9:00 AM" in text
    assert f"Location: {ticket.location_building} {ticket.location_room}" in text
    assert "What to prepare:\nBack up your files and bring your charger." in text
    assert "/refresh/c/" in text
    assert email.attachments[0]["filename"] == "appointment.ics"
    assert "Reminder" in email.subject


def test_monday_appointment_is_reminded_on_friday(booked):
    booked(day=7)  # Monday
    with time_machine.travel(at(4, 10, 30), tick=False):
        assert jobs.tickets_send_appointment_reminders() == 1


def test_moved_and_cancelled_bookings_are_not_reminded(booked, team, admin):
    moved = booked(day=4)
    released = booked(day=4)
    with time_machine.travel(at(2, 9), tick=False):
        services.ticket_book_slot(
            ticket=moved, slot_id=slot_on(team, at(8, 9)).pk, actor=admin, actor_label="staff"
        )
        services.ticket_request_reschedule(ticket=released, actor_label="customer")
    with time_machine.travel(at(3, 10, 30), tick=False):
        assert jobs.tickets_send_appointment_reminders() == 0
    assert not reminders().exists()


def test_a_booking_made_after_the_reminder_time_is_not_reminded(flow, team):
    with time_machine.travel(at(3, 11), tick=False):  # the day before, after 10:05
        ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
        services.ticket_book_slot(ticket=ticket, slot_id=slot_on(team, at(4, 9)).pk)
    with time_machine.travel(at(3, 15), tick=False):
        assert jobs.tickets_send_appointment_reminders() == 0
