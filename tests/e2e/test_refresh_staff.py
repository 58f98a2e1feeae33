"""Refresh staff pages in the browser: an administrator filters the ticket list,
opens a ticket and puts it on hold; a manager fills the location form; an
administrator assigns a replacement through the order group."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from tests.accounts.factories import UserFactory
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

S = TicketStatus


def _accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


def test_administrator_filters_and_holds_a_ticket(page, live_server, login):
    admin = UserFactory(full_name="Riley Admin", roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True)
    config = RefreshConfigFactory(name="Medicine 2026")
    waiting = services.ticket_create(system=SystemFactory(serial_number="MED00001"), config=config)
    services.ticket_send_invite(ticket=waiting)
    services.ticket_create(system=SystemFactory(serial_number="MED00002"), config=config)

    login(admin)
    page.goto(f"{live_server.url}/refresh/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Refresh tickets")
    page.get_by_label("Status", exact=True).select_option(S.PENDING_CUSTOMER)
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("MED00001")
    expect(table).not_to_contain_text("MED00002")

    table.get_by_role("link", name=waiting.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(waiting.number)
    expect(page.get_by_text("Pending invite → Pending customer")).to_be_visible()
    _accept_dialogs(page)
    page.get_by_label("Note (put on hold)").fill("Customer on leave")
    page.get_by_role("button", name="Put on hold").click()
    expect(page.get_by_role("status").first).to_contain_text("Now On hold")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(page.get_by_text("Customer on leave")).to_be_visible()


def test_manager_fills_location_info_and_sees_no_admin_pages(page, live_server, login):
    manager = UserFactory(full_name="Morgan Field", roles=[Role.REFRESH_MANAGER], is_staff=True)
    config = RefreshConfigFactory(style=RefreshStyle.ON_PREM)
    ticket = services.ticket_create(system=SystemFactory(), config=config)
    services.ticket_send_invite(ticket=ticket)
    services.ticket_expire_wizard(ticket=ticket)

    login(manager)
    page.goto(f"{live_server.url}/refresh/?focus=problems")
    subnav = page.get_by_role("navigation", name="Refresh sections")
    expect(subnav.get_by_role("link", name="Order group")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("fill the location form")
    page.get_by_role("link", name=ticket.number).click()
    page.get_by_role("link", name="Fill location info").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Location info for {ticket.number}")
    page.get_by_label("Building").fill("North Tower")
    page.get_by_label("Room", exact=True).fill("4B")
    _accept_dialogs(page)
    page.get_by_role("button", name="Save location").click()
    expect(page.get_by_text(re.compile("now Pending ordering"))).to_be_visible()


def test_administrator_assigns_replacement_in_order_group(page, live_server, login):
    admin = UserFactory(roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True)
    config = RefreshConfigFactory(style=RefreshStyle.NO_CUSTOMER, name="Teaching labs")
    ticket = services.ticket_create(system=SystemFactory(current_user=None), config=config)
    stock = StockSystemFactory(serial_number="NEW00042")

    login(admin)
    page.goto(f"{live_server.url}/refresh/order-group/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Order group: assign replacements")
    page.get_by_label(f"Select {ticket.number}").check()
    page.get_by_label(f"Replacement serial for {ticket.number}").fill(stock.serial_number)
    _accept_dialogs(page)
    page.get_by_role("button", name="Assign and advance").click()
    expect(page.get_by_text("1 tickets advanced to pending ITSM existence.")).to_be_visible()
    expect(page.get_by_text("No tickets are pending ordering.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ITSM_EXISTENCE
