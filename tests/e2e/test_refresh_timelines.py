"""Issue #17: the ticket page shows the newest entries of each timeline; a person
reaches the oldest through "Older entries" and back through "Newer entries".
They are plain links (tests/refresh/test_list_paging.py follows them without a
browser, as a page with JavaScript off would). The page audit (conftest) checks
each page reached."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from refresh import services
from refresh.selectors import TIMELINE_PAGE
from tests.accounts.factories import UserFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEWEST = f"try {TIMELINE_PAGE + 2:02d}"


def test_older_events_are_one_link_away(page, live_server, login):
    admin = UserFactory(full_name="Tess Time", roles=[Role.REFRESH_ADMINISTRATOR], is_staff=True)
    ticket = services.ticket_create(system=SystemFactory(), config=RefreshConfigFactory())
    for i in range(TIMELINE_PAGE + 3):
        services.ticket_record_event(
            ticket=ticket, kind="comment", summary=f"Called the customer, try {i:02d}", actor=admin
        )
    login(admin)
    page.goto(f"{live_server.url}/refresh/tickets/{ticket.pk}/")
    events = page.locator("section", has=page.get_by_role("heading", name="Events", exact=True))
    expect(events).to_contain_text(NEWEST)
    expect(events).not_to_contain_text("try 00")

    events.get_by_role("link", name="Older entries").click()
    expect(events).to_contain_text("try 00")
    expect(events).not_to_contain_text(NEWEST)
    expect(events.get_by_role("link", name="Older entries")).to_have_count(0)

    events.get_by_role("link", name="Newer entries").click()
    expect(events).to_contain_text(NEWEST)
