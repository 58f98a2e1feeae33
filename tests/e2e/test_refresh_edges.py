"""Issue 11's edges in the browser: a slot admin deletes a booked slot and the
customer is asked again; the appointment reminder reads right on the Outbox; the
order group refuses a computer in use and keeps what was typed."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from notifications.models import OutboundEmail
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshConfig
from refresh.services import jobs
from scheduling.calendar import business_calendar
from scheduling.models import ScheduleSlot
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

S = TicketStatus


def _scheduled_ticket(team, start):
    config = RefreshConfigFactory(style=RefreshStyle.ON_PREM, support_team=team)
    ticket = services.ticket_create(system=SystemFactory(), config=config)
    services.ticket_send_invite(ticket=ticket)
    services.ticket_submit_wizard(ticket=ticket, actor_label="customer", answers={})
    services.tickets_assign_replacements_bulk(
        assignments=[(ticket, StockSystemFactory())], actor=None
    )
    services.ticket_itsm_found(ticket=ticket)
    services.ticket_slot_discovered(ticket=ticket)
    slot = ScheduleSlot.objects.create(
        team=team, start=start, end=start + dt.timedelta(hours=1), capacity=2
    )
    return services.ticket_book_slot(ticket=ticket, slot_id=slot.pk), slot


def test_slot_admin_deletes_a_booked_slot_and_the_customer_is_asked_again(page, live_server, login):
    team = SupportTeamFactory(name="North Desk")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=6)
    ticket, slot = _scheduled_ticket(team, start)
    admin = UserFactory(roles=[Role.SCHEDULE_SLOT_ADMIN], is_staff=True)

    login(admin)
    page.goto(f"{live_server.url}/scheduling/slots/{slot.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete slot and cancel 1 booking").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "1 booking(s) cancelled; 1 customer emailed to pick a new time."
    )
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING
    email = OutboundEmail.objects.filter(template="refresh_job_pick_slot").latest("pk")
    assert "no longer available" in email.body_text


def test_the_appointment_reminder_reads_right_on_the_outbox(page, live_server, login):
    team = SupportTeamFactory(name="South Desk")
    calendar = business_calendar()
    day_before = calendar.next_business_day(timezone.localdate())
    ticket, _ = _scheduled_ticket(
        team, calendar.at(calendar.next_business_day(day_before), dt.time(9, 30))
    )
    RefreshConfig.objects.filter(pk=ticket.config_id).update(customer_message="Bring your charger.")
    # The job as it runs at 10:30 on the business day before the appointment.
    assert (
        jobs.tickets_send_appointment_reminders(now=calendar.at(day_before, dt.time(10, 30))) == 1
    )
    email = OutboundEmail.objects.get(template="refresh_job_appointment_reminder")

    login(UserFactory(roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True))
    page.goto(f"{live_server.url}/notifications/outbox/{email.pk}/")
    body = page.locator("main")
    expect(body).to_contain_text("A reminder")
    expect(body).to_contain_text("9:30 AM")
    expect(body).to_contain_text("Bring your charger.")
    expect(body).to_contain_text("appointment.ics")


def test_order_group_refuses_a_computer_in_use_and_keeps_the_input(page, live_server, login):
    admin = UserFactory(roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True)
    config = RefreshConfigFactory(style=RefreshStyle.NO_CUSTOMER, name="Teaching labs")
    ticket = services.ticket_create(system=SystemFactory(current_user=None), config=config)
    in_use = SystemFactory(serial_number="INUSE0001")

    login(admin)
    page.goto(f"{live_server.url}/refresh/order-group/")
    page.get_by_label(f"Select {ticket.number}").check()
    page.get_by_label(f"Replacement serial for {ticket.number}").fill(in_use.serial_number)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Assign and advance").click()
    expect(page.get_by_text("INUSE0001 is in use: it is assigned to a person")).to_be_visible()
    expect(page.get_by_label(f"Replacement serial for {ticket.number}")).to_have_value("INUSE0001")
    expect(page.get_by_label(f"Select {ticket.number}")).to_be_checked()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
