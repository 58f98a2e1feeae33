"""Issue #11 item 18: every refresh list and form is usable at 1366 and 390 px.

The page audit (conftest) fails any page here that scrolls sideways at either
width, or fails axe. The data carries what used to push pages wider: a long
hostname, a 12,000-character comment and location note without a space, long
config and team names; ticket numbers and hostnames must not break mid-token
("RT-/00093").
"""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTNAME = "CARDIOLOGY-RESEARCH-WORKSTATION-0001234567"
LONG = "x" * 12_000


def test_refresh_lists_and_forms_fit_a_laptop_and_a_phone(page, live_server, login):
    admin = UserFactory(roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True)
    team = SupportTeamFactory(name="Department of Extraordinarily Long Support Team Names")
    config = RefreshConfigFactory(
        name="Cardiovascular Medicine Faculty Laptop Refresh 2026-2027",
        style=RefreshStyle.ON_PREM,
        support_team=team,
        replacement_group="Cardiology-Research-Faculty-Replacement-Group",
        customer_message=LONG,
    )
    ticket = services.ticket_create(
        system=SystemFactory(name=HOSTNAME, building="B" * 150), config=config, actor=admin
    )
    RefreshTicket.objects.filter(pk=ticket.pk).update(
        location_notes=LONG, status=TicketStatus.PENDING_ORDERING
    )
    services.ticket_record_event(
        ticket=ticket, kind="comment", summary=LONG[:300], payload={"text": LONG}, actor=admin
    )
    services.ticket_hold(ticket=ticket, actor=admin, note=LONG)

    login(admin)
    pages = [
        "/refresh/",
        f"/refresh/tickets/{ticket.pk}/",
        "/refresh/order-group/",
        "/refresh/batches/",
        "/refresh/batches/new/",
        "/refresh/bulk-create/",
        "/refresh/tickets/new/",
        "/refresh/tracking/",
        "/refresh/configs/",
        f"/refresh/configs/{config.pk}/",
        f"/refresh/configs/{config.pk}/edit/",
        f"/refresh/tickets/{ticket.pk}/replacement/",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()

    page.goto(f"{live_server.url}/refresh/")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        number = page.get_by_role("link", name=ticket.number, exact=True)
        # One line box each: "RT-00001" and the hostname are never split.
        assert number.evaluate("el => el.getClientRects().length") == 1
        host = page.get_by_text(HOSTNAME, exact=True)
        assert host.evaluate("el => el.getClientRects().length") == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{live_server.url}/refresh/tickets/{ticket.pk}/")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        heading = page.get_by_role("heading", level=1)
        assert ticket.number in heading.inner_text()
