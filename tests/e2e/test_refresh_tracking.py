"""Issue #11 item 5 in the browser: a tracking number on a remote ticket's page, and
many pasted on the tracking page with a report per line (all or nothing)."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from notifications.models import OutboundEmail
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from tests.accounts.factories import UserFactory
from tests.refresh.conftest import REMOTE_ADDRESS
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shipped_ticket(config):
    ticket = services.ticket_create(system=SystemFactory(), config=config)
    services.ticket_send_invite(ticket=ticket)
    services.ticket_submit_wizard(ticket=ticket, actor_label="customer", answers=REMOTE_ADDRESS)
    services.tickets_assign_replacements_bulk(
        assignments=[(ticket, StockSystemFactory())], actor=None
    )
    ticket = services.ticket_itsm_found(ticket=ticket)
    assert ticket.status == TicketStatus.PENDING_DELIVERY
    return ticket


@pytest.fixture
def admin():
    return UserFactory(roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True)


def test_staff_enter_a_tracking_number_on_the_ticket_page(page, live_server, login, admin):
    ticket = _shipped_ticket(RefreshConfigFactory(style=RefreshStyle.REMOTE))

    login(admin)
    page.goto(f"{live_server.url}/refresh/tickets/{ticket.pk}/")
    page.get_by_label("Tracking number").fill("1Z 999 AA1 0123456784")
    page.get_by_role("button", name="Save tracking number").click()

    expect(page.get_by_role("status").first).to_contain_text("tracking number 1Z999AA10123456784")
    link = page.get_by_role("link", name="1Z999AA10123456784")
    expect(link).to_have_attribute("href", "https://www.ups.com/track?tracknum=1Z999AA10123456784")
    expect(page.get_by_text("emailed to the customer")).to_be_visible()
    email = OutboundEmail.objects.get(template="refresh_job_tracking")
    assert ticket.replacement_system.serial_number in email.body_text

    # A bad number is refused on the same page, with what was typed kept.
    page.get_by_label("Tracking number").fill("1Z/999")
    page.get_by_role("button", name="Save tracking number").click()
    expect(page.get_by_text("is not a tracking number")).to_be_visible()
    expect(page.get_by_label("Tracking number")).to_have_value("1Z/999")


def test_staff_paste_tracking_numbers_and_fix_a_refused_line(page, live_server, login, admin):
    config = RefreshConfigFactory(style=RefreshStyle.REMOTE)
    first, second = _shipped_ticket(config), _shipped_ticket(config)

    login(admin)
    page.goto(f"{live_server.url}/refresh/")
    page.get_by_role("link", name="Tracking numbers").click()
    lines = page.get_by_label("Tracking numbers, one per line")
    lines.fill(
        f"{first.number}, 1Z999AA10123456784\n"
        f"{second.replacement_system.serial_number}, 123456789012, FedEx\n"
        "NOPE-123, 1Z1"
    )
    page.get_by_role("button", name="Save tracking numbers").click()

    report = page.get_by_role("table", name="Result per row")
    expect(report).to_contain_text("no open ticket has the number or serial NOPE-123")
    expect(page.get_by_role("status").first).to_contain_text("Nothing was saved")
    expect(lines).to_have_value(
        f"{first.number}, 1Z999AA10123456784\n"
        f"{second.replacement_system.serial_number}, 123456789012, FedEx\n"
        "NOPE-123, 1Z1"
    )
    assert OutboundEmail.objects.filter(template="refresh_job_tracking").count() == 0

    lines.fill(
        f"{first.number}, 1Z999AA10123456784\n"
        f"{second.replacement_system.serial_number}, 123456789012, FedEx"
    )
    page.get_by_role("button", name="Save tracking numbers").click()
    expect(page.get_by_role("status").first).to_contain_text("2 tracking numbers saved")
    expect(page.get_by_role("heading", name="Saved")).to_be_visible()
    assert OutboundEmail.objects.filter(template="refresh_job_tracking").count() == 2
