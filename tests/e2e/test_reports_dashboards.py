"""Each reports dashboard opens in the browser, charts drawn, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from refresh.choices import TicketStatus
from refresh.models import RefreshTicket
from tests.accounts.factories import UserFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DASHBOARDS = [
    ("/reports/refresh/", "Refresh dashboard", "Tickets per status now"),
    ("/reports/orders/", "Order desk dashboard", "Requests created and completed per week"),
    ("/reports/end-of-life/", "End-of-life forecast", "Systems reaching end of life per quarter"),
]


@pytest.mark.parametrize("width", [1366, 390])
def test_every_dashboard_draws_its_charts(page, live_server, login, width):
    config = RefreshConfigFactory()
    for status in (TicketStatus.PENDING_APPROVAL, TicketStatus.PENDING_INVITE):
        RefreshTicket.objects.create(
            existing_system=SystemFactory(), config=config, style="on_prem", status=status
        )
    person = UserFactory(roles=[Role.REFRESH_ADMINISTRATOR, Role.ORDERS_MANAGER], is_staff=True)
    page.set_viewport_size({"width": width, "height": 900})
    login(person)
    for path, heading, chart_title in DASHBOARDS:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        chart = page.get_by_role("img", name=chart_title)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] > 200
        assert box["width"] <= width
        # Nothing wider than the screen but the tables' own scrolling boxes.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (path, overflow)
    page.goto(f"{live_server.url}/reports/refresh/")
    expect(page.get_by_role("row", name="Pending approval 1")).to_be_visible()
