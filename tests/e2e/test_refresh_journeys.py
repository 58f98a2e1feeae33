"""The customer and approver journeys of a refresh ticket, in a real browser.

Each starts where a person does: the link in their email.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.links import access_link_issue
from notifications.models import AccessLink
from refresh.choices import EventKind, RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from tests.accounts.factories import PASSWORD
from tests.refresh.conftest import (  # noqa: F401  (fixtures reused here)
    admin,
    approver,
    flow,
    make_slot,
    manager,
    team,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
S = TicketStatus


def _link(ticket, purpose):
    issued = access_link_issue(target=ticket, purpose=purpose, email="customer@example.edu")
    return f"/refresh/c/{issued.token}/"


def test_on_prem_customer_reviews_the_location_and_changes_the_room(page, live_server, flow):  # noqa: F811
    ticket = flow.to(S.PENDING_CUSTOMER, style=RefreshStyle.ON_PREM, approval=True)
    page.goto(live_server.url + _link(ticket, "refresh_wizard"))

    expect(page.get_by_role("heading", level=2)).to_have_text("Location")
    expect(page.get_by_label("Building")).to_have_value(ticket.existing_system.building)
    page.get_by_label("Room").fill("B-204")
    page.get_by_role("button", name="Save and continue").click()
    for _ in range(3):
        if page.get_by_role("heading", level=2, name="Review").count():
            break
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Review")
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your answers are submitted"
    )
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_APPROVAL
    assert ticket.location_room == "B-204"
    assert ticket.events.filter(kind=EventKind.CHANGED_LOCATION).exists()


def test_customer_picks_a_slot_then_moves_it(page, live_server, flow, make_slot):  # noqa: F811
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    make_slot(days=3, capacity=1)
    make_slot(days=4, capacity=1)

    page.goto(live_server.url + _link(ticket, "refresh_pick_slot"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pick a delivery time")
    page.get_by_role("button", name="Book ").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    ticket.refresh_from_db()
    assert ticket.status == S.DELIVERY_SCHEDULED
    first_slot = ticket.booking.slot_id

    page.goto(live_server.url + _link(ticket, "refresh_reschedule"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your delivery appointment")
    expect(page.get_by_role("heading", name="Your current appointment")).to_be_visible()
    page.get_by_role("button", name="Book ").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is moved")
    ticket = RefreshTicket.objects.select_related("booking").get(pk=ticket.pk)
    assert ticket.booking.slot_id != first_slot


def test_approver_approves_from_the_digest_link(page, live_server, flow, approver):  # noqa: F811
    ticket = flow.to(S.PENDING_APPROVAL, approval=True)

    page.goto(f"{live_server.url}/refresh/approvals/")  # the link in the Friday digest
    page.get_by_label("Email address").fill(approver.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Approvals")
    page.get_by_role("button", name=f"Approve {ticket.number}").click()
    expect(page.get_by_text(f"{ticket.number} approved.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING


def test_an_expired_link_shows_the_friendly_page(page, live_server, flow, team):  # noqa: F811
    ticket = flow.to(S.PENDING_CUSTOMER)
    url = _link(ticket, "refresh_wizard")
    AccessLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = page.goto(live_server.url + url)

    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work any more")
    expect(page.get_by_text("This link has expired.")).to_be_visible()
    expect(page.get_by_role("link", name=team.name)).to_be_visible()
