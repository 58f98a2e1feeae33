"""A remote customer walks the refresh wizard from an emailed link to the confirmation."""

import pytest
from playwright.sync_api import expect

from notifications.links import access_link_issue
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_remote_customer_walks_the_wizard(page, live_server):
    admin = UserFactory(is_superuser=True, is_staff=True)
    config = RefreshConfigFactory(style=RefreshStyle.REMOTE, support_team=SupportTeamFactory())
    ticket = services.ticket_create(system=SystemFactory(), config=config, actor=admin)
    ticket = services.ticket_send_invite(ticket=ticket)
    token = access_link_issue(target=ticket, purpose="refresh_wizard", email="c@x.edu").token

    page.goto(f"{live_server.url}/refresh/c/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your computer replacement")
    expect(page.get_by_role("heading", level=2)).to_have_text("Location")
    page.get_by_label("Recipient name").fill("Pat Home")
    page.get_by_label("Street address").fill("1 Elm St")
    page.get_by_label("City").fill("Ann Arbor")
    page.get_by_label("State").fill("MI")
    page.get_by_label("ZIP code").fill("4810")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Enter a ZIP code of 5 digits")).to_be_visible()
    page.get_by_label("ZIP code").fill("48104")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=2)).to_have_text("Computer")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Peripherals")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Computer")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=2)).to_have_text("Review")
    expect(page.get_by_text("Ann Arbor, MI 48104")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers are submitted"
    )
    ticket = RefreshTicket.objects.get(pk=ticket.pk)
    assert ticket.status == TicketStatus.PENDING_ORDERING
    assert ticket.ship_zip == "48104"
