"""A coordinator's failed submit lands on its one draft; the notes count their characters."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from orders.models import Order
from orders.services import order_queues_ensure_defaults
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _Directory:
    def create_account(self, **kwargs):
        return {"ok": True}

    def get_account(self, *, username):
        return None


def test_failed_submit_keeps_one_draft_and_the_fix_submits_it(
    page, live_server, login, monkeypatch
):
    monkeypatch.setattr("orders.services.automation.policy.directory_client", _Directory)
    organization = OrganizationFactory(name="School of Nursing")
    coordinator = UserFactory(organization=organization, roles=[Role.COORDINATOR])
    order_queues_ensure_defaults(team=[UserFactory(roles=[Role.ORDERS_TECHNICIAN])])

    login(coordinator)
    page.goto(f"{live_server.url}/orders/new/")
    page.get_by_role("link", name="Start: Email only").click()
    # Nothing filled in: nothing saved, the errors say what is needed.
    page.get_by_role("button", name="Submit order").click()
    expect(page.get_by_text("Nothing is filled in yet, so nothing was saved.")).to_be_visible()
    assert not Order.objects.exists()

    page.get_by_label("User's name").fill("Nia New")
    notes = page.get_by_label("Notes")
    notes.fill("Starts Monday")
    expect(page.get_by_text("13 of 2000 characters")).to_be_visible()
    page.get_by_role("button", name="Submit order").click()

    draft = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/orders/{draft.number}/edit/\?check$"))
    expect(page.get_by_text("Enter a username.")).to_be_visible()
    expect(page.get_by_label("User's name")).to_have_value("Nia New")

    page.get_by_label("Username").fill("nnew")
    page.get_by_label("Email address").fill("nnew@example.edu")
    page.get_by_role("button", name="Submit order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {draft.number}: Email only")
    assert Order.objects.count() == 1
