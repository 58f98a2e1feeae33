"""User-specified-location tickets: every email that names a place shows the
location the customer was given and confirmed in the wizard, never the old
system's building and room (issue 11, item 6)."""

import pytest
from icalendar import Calendar

from notifications.models import OutboundEmail
from notifications.rendering import links_rendered
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshConfig
from refresh.services import jobs

S = TicketStatus
pytestmark = pytest.mark.django_db

PLACE = "Loading dock B, Science Hall"


@pytest.fixture
def usl_ticket(flow):
    ticket = flow.new(style=RefreshStyle.USER_SPECIFIED_LOCATION)
    RefreshConfig.objects.filter(pk=ticket.config_id).update(unit_specified_location=PLACE)
    ticket = services.ticket_send_invite(ticket=ticket)
    services.ticket_submit_wizard(
        ticket=ticket, actor_label="customer", answers={"location_notes": "Ring the bell twice"}
    )
    ticket.refresh_from_db()
    return ticket


def _email(template):
    email = OutboundEmail.objects.filter(template=template).latest("pk")
    return email.body_text, email.body_html


def test_booking_and_new_time_emails_name_the_customers_location(flow, make_slot, usl_ticket):
    ticket = flow.advance(usl_ticket, S.DELIVERY_SCHEDULED)
    old_place = f"{ticket.existing_system.building} {ticket.existing_system.room}"
    jobs.ticket_appointment_booked_notify(ticket_id=ticket.pk)
    text, html = _email("refresh_job_booked")
    assert f"DELIVERY LOCATION (as you gave it): {PLACE}" in text
    assert "Your notes for the technician: Ring the bell twice" in text
    assert PLACE in html
    assert old_place not in text
    ics = OutboundEmail.objects.filter(template="refresh_job_booked").latest("pk").attachments[0]
    event = Calendar.from_ical(ics["content"]).walk("VEVENT")[0]
    assert PLACE in str(event["DESCRIPTION"])

    services.ticket_book_slot(ticket=ticket, slot_id=make_slot(days=8).pk, actor_label="customer")
    jobs.ticket_appointment_booked_notify(ticket_id=ticket.pk, moved=True)
    text, _ = _email("refresh_job_new_appointment")
    assert f"DELIVERY LOCATION (as you gave it): {PLACE}" in text
    assert old_place not in text


def test_on_prem_emails_keep_building_and_room(flow):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    jobs.ticket_appointment_booked_notify(ticket_id=ticket.pk)
    text, _ = _email("refresh_job_booked")
    assert f"Location: {ticket.location_building} {ticket.location_room}" in text
    assert "DELIVERY LOCATION" not in text


def test_a_retried_email_job_does_not_revoke_the_link_already_sent(flow, client):
    """A second run of the pick-slot or booked email (a retry, or the worker
    catching up on what the demo seed queued) must not issue a new link: that
    would revoke the one in the email the customer already has (issue 11, item 19)."""
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    assert jobs.ticket_send_pick_slot_email(ticket_id=ticket.pk)
    sent = OutboundEmail.objects.filter(template="refresh_job_pick_slot").latest("pk")
    link = next(w for w in links_rendered(sent.body_text).split() if "/refresh/c/" in w)
    assert not jobs.ticket_send_pick_slot_email(ticket_id=ticket.pk)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200

    ticket = flow.advance(ticket, S.DELIVERY_SCHEDULED)
    jobs.ticket_appointment_booked_notify(ticket_id=ticket.pk)
    booked = OutboundEmail.objects.filter(template="refresh_job_booked").latest("pk")
    link = next(w for w in links_rendered(booked.body_text).split() if "/refresh/c/" in w)
    jobs.ticket_appointment_booked_notify(ticket_id=ticket.pk)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
