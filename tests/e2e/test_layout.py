"""Long values stay inside the page on a laptop and a phone (issue 19 item 3).

The page audit (conftest) fails any page here that scrolls sideways at 1366 or
390 px; these pages carry the values that used to push them wider: a long
email in the Details card, a 12,000-character comment without a space, and
ITSM ticket numbers, which must not break at their hyphen.
"""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from orders.models import OrderITSMTicket
from orders.services import order_create_draft, order_queues_ensure_defaults, order_submit
from orders.services.messages import order_message_post
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _Directory:
    def create_account(self, **kwargs):
        return {"ok": True}


def test_long_values_wrap_and_ticket_numbers_stay_whole(page, live_server, login, monkeypatch):
    monkeypatch.setattr("orders.services.automation.policy.directory_client", _Directory)
    organization = OrganizationFactory(name="Department of Extraordinarily Long Names")
    coordinator = UserFactory(
        email="maximiliana.featherstonehaugh-cholmondeley.administrator@cardio.med.example.edu",
        organization=organization,
        roles=[Role.COORDINATOR],
    )
    technician = UserFactory(roles=[Role.ORDERS_TECHNICIAN], is_staff=True)
    order_queues_ensure_defaults(team=[technician])
    order = order_create_draft(
        order_type="email_only",
        organization=organization,
        submitted_by=coordinator,
        data={
            "new_full_name": "Nia New",
            "new_username": "nnew",
            "new_email": "nia.new-with-a-very-long-address-indeed@research.med.example.edu",
        },
    )
    order_submit(order=order, actor=coordinator)
    OrderITSMTicket.objects.create(
        order=order, itsm_id="RT-00093", url="https://itsm.example.edu/RT-00093"
    )
    order_message_post(order=order, author=technician, kind="internal_comment", body="x" * 12_000)

    login(technician)
    page.goto(f"{live_server.url}/orders/staff/{order.number}/")
    expect(page.locator("dd", has_text=coordinator.email)).to_be_visible()
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        ticket = page.get_by_role("link", name="RT-00093")
        # One line box: the number is not split into "RT-" and "00093".
        assert ticket.evaluate("el => el.getClientRects().length") == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
