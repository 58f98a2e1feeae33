"""A coordinator submits an order in the portal; a technician works it to completion
in the staff order manager."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from integrations.directory import MailboxMissing
from notifications.models import OutboundEmail
from orders.choices import OrderStatus
from orders.models import Order, OrderMessage
from orders.services import order_queues_ensure_defaults
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _Directory:
    """Stands in for the directory adapter: every call succeeds, but it has no
    shared mailbox, so that step needs a person."""

    def create_account(self, **kwargs):
        return {"ok": True}

    def grant_mailboxes(self, *, mailboxes, **kwargs):
        raise MailboxMissing(f"The directory has no shared mailbox {', '.join(mailboxes)}.")


def test_coordinator_submits_and_technician_completes_the_order(
    page, live_server, login, monkeypatch
):
    monkeypatch.setattr("orders.services.automation.policy.directory_client", _Directory)
    organization = OrganizationFactory(name="School of Nursing")
    coordinator = UserFactory(
        full_name="Cora Coordinator", organization=organization, roles=[Role.COORDINATOR]
    )
    technician = UserFactory(
        full_name="Theo Technician", roles=[Role.ORDERS_TECHNICIAN], is_staff=True
    )
    order_queues_ensure_defaults(team=[technician])

    # The coordinator starts and submits an email-only order in the portal.
    login(coordinator)
    page.goto(f"{live_server.url}/orders/new/")
    page.get_by_role("link", name="Start: Email only").click()
    page.get_by_label("User's name").fill("Nia New")
    page.get_by_label("Username").fill("nnew")
    page.get_by_label("Email address").fill("nnew@example.edu")
    page.get_by_label("Shared mailbox access").fill("frontdesk@example.edu")
    page.get_by_role("button", name="Submit order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Order \d+: Email only"))
    order = Order.objects.get()
    assert order.owner == technician
    # Coordinators have no way into the order manager.
    expect(page.get_by_role("link", name="Order manager")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # The technician finds it in the order manager, waiting on the step the
    # directory could not do (every other step ran on its own).
    login(technician)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Order manager").click()
    expect(page.get_by_role("heading", name="Order manager", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=str(order.number))
    expect(row).to_contain_text("3. Grant the shared mailboxes")
    expect(row).to_contain_text("School of Nursing")
    row.get_by_role("link", name=str(order.number)).click()
    expect(
        page.get_by_role("heading", name=f"Order {order.number}: Email only", level=1)
    ).to_be_visible()
    expect(
        page.locator("#actions").get_by_text(
            "Needs a person: The directory has no shared mailbox frontdesk@example.edu."
        )
    ).to_be_visible()

    # An internal note, posted without leaving the page.
    page.get_by_label("Internal comment (staff only)").check()
    note = "Groups look right in the directory."
    page.get_by_role("textbox", name="Message", exact=True).fill(note)
    page.get_by_role("button", name="Post message").click()
    expect(page.get_by_text("Your message is posted.")).to_be_visible()
    expect(page.get_by_text(note)).to_be_visible()
    assert OrderMessage.objects.get().kind == "internal_comment"

    # A reply to the client (the default kind).
    page.get_by_role("textbox", name="Message", exact=True).fill("Your mailbox is ready.")
    page.get_by_role("button", name="Post message").click()
    expect(page.get_by_text("Your mailbox is ready.")).to_be_visible()
    reply_email = OutboundEmail.objects.get(key__endswith="-client")
    assert reply_email.to == [coordinator.email]

    # Process the manual step: the confirmation runs on its own, the order completes.
    page.get_by_label("Note (optional)").fill("Created the mailbox and granted access.")
    page.get_by_role("button", name="Process “Grant the shared mailboxes”").click()
    expect(page.get_by_text("“Grant the shared mailboxes” is done.")).to_be_visible()
    expect(page.locator(".page-header .badge")).to_have_text("Completed")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    expect(page.get_by_role("link", name="Cancel order…")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # The coordinator sees the reply and the completed order, never the internal note.
    login(coordinator)
    page.goto(f"{live_server.url}/orders/{order.number}/")
    expect(page.get_by_text("Your mailbox is ready.")).to_be_visible()
    expect(page.get_by_text(note)).to_have_count(0)
    expect(page.get_by_text("Completed").first).to_be_visible()
