"""The 403 and 404 pages pass the page audit (axe, both widths, CSP) and lead back
(issue 12 #14)."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_not_found_and_forbidden_pages_keep_the_way_back(page, live_server, login):
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="We can't find that page", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Sign in").last).to_be_visible()

    coordinator = UserFactory(organization=OrganizationFactory(), roles=[Role.COORDINATOR])
    login(coordinator)
    # As if a bookmark on the portal led there.
    page.goto(f"{live_server.url}/orders/staff/", referer=f"{live_server.url}/orders/")
    expect(
        page.get_by_role("heading", name="You don't have access to this page", level=1)
    ).to_be_visible()
    expect(page.get_by_text("The order manager is for orders staff.")).to_be_visible()
    page.get_by_role("link", name="Go back").click()
    expect(page).to_have_url(f"{live_server.url}/orders/")
