"""The order desk in a browser (issue 12): a reply with a canned response, an edited
To and CC, "assign order to" and "subscribe me" (#4); the staff list and the order
page's Details card fit at 1366 and 390 px (#15)."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from notifications.models import OutboundEmail
from orders.models import CannedResponse, OrderAudit, OrderMessage, OrderSubscription
from orders.services import order_create_draft, order_queues_ensure_defaults, order_submit
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = ((1366, 900), (390, 844))


class _Directory:
    def create_account(self, **kwargs):
        return {"ok": True}


def _submitted(organization, coordinator, **data):
    order = order_create_draft(
        order_type="email_only",
        organization=organization,
        submitted_by=coordinator,
        data={"new_full_name": "Jamie Park", "new_username": "jpark", **data},
    )
    order_submit(order=order, actor=coordinator)
    return order


def test_a_reply_with_a_canned_response_to_cc_assign_and_subscribe(
    page, live_server, login, monkeypatch
):
    monkeypatch.setattr("orders.services.automation.directory_client", _Directory)
    organization = OrganizationFactory(name="School of Nursing")
    coordinator = UserFactory(
        full_name="Cora Coordinator", organization=organization, roles=[Role.COORDINATOR]
    )
    technician = UserFactory(
        full_name="Theo Technician", roles=[Role.ORDERS_TECHNICIAN], is_staff=True
    )
    colleague = UserFactory(full_name="Dana Fox", roles=[Role.ORDERS_TECHNICIAN])
    order_queues_ensure_defaults(team=[technician])
    order = _submitted(organization, coordinator, new_email="jpark@example.edu")
    CannedResponse.objects.create(
        name="Account ready",
        subject="Account for {customer_name}",
        body="Hello {coordinator_name}, the account of {customer_name} (order {order_number}) "
        "is ready.",
    )

    login(technician)
    page.goto(f"{live_server.url}/orders/staff/{order.number}/")
    to = page.get_by_role("textbox", name="To", exact=True)
    expect(to).to_have_value(coordinator.email)
    expect(page.get_by_role("textbox", name="Subject")).to_have_value(
        f"[Order {order.number}] Email only for Jamie Park"
    )
    page.get_by_label("Template").select_option(label="Account ready")
    page.get_by_role("button", name="Use this template").click()
    expect(page.get_by_role("textbox", name="Subject")).to_have_value(
        f"[Order {order.number}] Account for Jamie Park"
    )
    expect(page.get_by_role("textbox", name="Message", exact=True)).to_have_value(
        f"Hello Cora Coordinator, the account of Jamie Park (order {order.number}) is ready."
    )
    to.fill(f"{coordinator.email}, hr@nursing.example.edu")
    page.get_by_role("textbox", name="CC").fill(colleague.email)
    page.get_by_label("Assign order to").select_option(label="Dana Fox")
    page.get_by_label("Subscribe me: I get a copy of every message").check()
    page.get_by_role("button", name="Post message").click()
    expect(page.get_by_text("Your message is posted.")).to_be_visible()
    expect(
        page.get_by_text(f"To {coordinator.email}, hr@nursing.example.edu · CC {colleague.email}")
    ).to_be_visible()

    message = OrderMessage.objects.get()
    assert message.subject == f"[Order {order.number}] Account for Jamie Park"
    client_email = OutboundEmail.objects.get(key=f"order-msg-{message.pk}-client")
    assert client_email.to == sorted([coordinator.email, "hr@nursing.example.edu"])
    assert client_email.subject == message.subject
    staff_email = OutboundEmail.objects.get(key=f"order-msg-{message.pk}-staff")
    assert staff_email.to == [colleague.email]
    order.refresh_from_db()
    assert order.owner == colleague
    assert OrderAudit.objects.filter(order=order, transition="owner_changed").exists()
    assert OrderSubscription.objects.filter(order=order, user=technician).exists()


def test_the_staff_list_and_the_details_card_fit_a_laptop_and_a_phone(
    page, live_server, login, monkeypatch
):
    monkeypatch.setattr("orders.services.automation.directory_client", _Directory)
    organization = OrganizationFactory(name="Department of Cardiovascular Medicine Research")
    coordinator = UserFactory(
        email="maximiliana.featherstonehaugh-cholmondeley@cardio.med.example.edu",
        organization=organization,
        roles=[Role.COORDINATOR],
    )
    technician = UserFactory(
        full_name="Theodora Technician-Whitfield", roles=[Role.ORDERS_TECHNICIAN], is_staff=True
    )
    order_queues_ensure_defaults(team=[technician])
    order = _submitted(
        organization,
        coordinator,
        new_full_name="Maximiliana Featherstonehaugh-Cholmondeley",
        new_email="maximiliana.featherstonehaugh-cholmondeley@research.med.example.edu",
        distribution_groups="cardio-research-all-faculty-and-staff, cardio-clinical-trials",
    )
    login(technician)
    for path in ("/orders/staff/", f"/orders/staff/{order.number}/"):
        page.goto(f"{live_server.url}{path}")
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            if path == "/orders/staff/":
                # The list itself fits: no sideways scrolling inside its frame either.
                wrap = page.locator(".table-wrap")
                assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), (width, path)
                expect(page.get_by_role("link", name=str(order.number))).to_be_visible()
            else:
                card = page.locator("#details").bounding_box()
                for box in page.locator("#details dd").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect().right)"
                ):
                    assert box <= card["x"] + card["width"] + 0.5, (width, box)
