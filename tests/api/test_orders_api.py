"""Orders endpoints: the portal's forms and services behind every write."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from orders.choices import MessageKind, OrderStatus
from orders.models import Order, OrderAudit
from orders.services import order_message_post, order_submit
from tests.accounts.factories import OrganizationFactory
from tests.api.conftest import key_client
from tests.orders.factories import InstallableSoftwareFactory, OrderFactory


@pytest.fixture
def coordinator_api(coordinator):
    return key_client(coordinator)


def test_create_and_submit_each_built_in_type(coordinator_api, coordinator, queues, end_user):
    software = InstallableSoftwareFactory()
    bodies = {
        "email_only": {
            "new_full_name": "Sam New",
            "new_username": "snew",
            "new_email": "sam.new@example.edu",
            "distribution_groups": ["staff-all", "lab"],
        },
        "deactivate_future_replacement": {"existing_user": end_user.pk, "workstation": "wx14"},
        "deactivate_replacement_now": {
            "replacing": f"user:{end_user.pk}",
            "workstation": "WX30",
            "new_full_name": "Robin Next",
            "new_username": "rnext",
            "new_email": "robin.next@example.edu",
        },
        "install_software": {
            "software": [software.pk],
            "existing_user": end_user.pk,
            "workstation": "WX20",
        },
    }
    for order_type, fields in bodies.items():
        response = coordinator_api.post(
            "/api/v1/orders/", {"order_type": order_type, "submit": True, "fields": fields}
        )
        assert response.status_code == 201, (order_type, response.json().get("errors"))
        body = response.json()
        assert (body["order_type"], body["status"]) == (order_type, OrderStatus.SUBMITTED)
        assert body["current_step"] == body["actions"][0]["name"]
        order = Order.objects.get(number=body["number"])
        assert order.queue == queues[order_type]
        assert order.submitted_by == coordinator
    assert Order.objects.get(order_type="email_only").distribution_groups == ["staff-all", "lab"]


def test_draft_then_submit(coordinator_api, queues):
    draft = coordinator_api.post(
        "/api/v1/orders/", {"order_type": "email_only", "fields": {"new_full_name": "Sam"}}
    ).json()
    assert draft["status"] == OrderStatus.DRAFT
    refused = coordinator_api.post(f"/api/v1/orders/{draft['number']}/submit/")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "new_username": ["Enter a username."],
        "new_email": ["Enter the new user's email address."],
    }


def test_form_messages_are_the_portals(coordinator_api, queues):
    response = coordinator_api.post(
        "/api/v1/orders/",
        {"order_type": "email_only", "fields": {"new_email": "not-an-email"}},
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"new_email": ["Enter a valid email address."]}
    assert not Order.objects.exists()
    unknown_type = coordinator_api.post("/api/v1/orders/", {"order_type": "pizza"})
    assert unknown_type.json()["errors"] == {"order_type": ['"pizza" is not a valid choice.']}


def test_a_failed_submit_saves_nothing(coordinator_api, queues):
    response = coordinator_api.post(
        "/api/v1/orders/", {"order_type": "email_only", "submit": True, "fields": {}}
    )
    assert response.status_code == 400
    assert "new_full_name" in response.json()["errors"]
    assert not Order.objects.exists()


def test_coordinator_withdraws_a_draft_but_another_organization_cannot_see_it(
    coordinator, coordinator_api, make_user
):
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    stranger = key_client(make_user(Role.COORDINATOR, organization=OrganizationFactory()))
    assert stranger.get(f"/api/v1/orders/{order.number}/").status_code == 404
    assert stranger.get("/api/v1/orders/").json()["results"] == []
    response = coordinator_api.post(f"/api/v1/orders/{order.number}/cancel/", {"note": "dup"})
    assert response.json()["status"] == OrderStatus.CANCELLED
    assert OrderAudit.objects.filter(order=order, transition="cancel").exists()


def test_internal_messages_only_for_staff(coordinator, coordinator_api, queues, technician):
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    order_submit(order=order, actor=coordinator)
    order_message_post(
        order=order, author=technician, kind=MessageKind.INTERNAL_COMMENT, body="secret"
    )
    staff_api = key_client(technician)
    posted = coordinator_api.post(f"/api/v1/orders/{order.number}/messages/", {"body": "News?"})
    assert posted.status_code == 201
    assert posted.json()["from_client"] is True
    client_view = [
        m["body"] for m in coordinator_api.get(f"/api/v1/orders/{order.number}/messages/").json()
    ]
    assert client_view == ["News?"]
    staff_view = [
        m["body"] for m in staff_api.get(f"/api/v1/orders/{order.number}/messages/").json()
    ]
    assert staff_view == ["secret", "News?"]


def test_staff_hold_resume_and_skip_a_step(coordinator, queues, make_user):
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    order_submit(order=order, actor=coordinator)
    api = key_client(make_user(Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN))
    held = api.post(f"/api/v1/orders/{order.number}/hold/", {"note": "waiting"})
    assert held.json()["status"] == OrderStatus.ON_HOLD
    assert api.post(f"/api/v1/orders/{order.number}/resume/").json()["status"] == (
        OrderStatus.SUBMITTED
    )
    skipped = api.post(f"/api/v1/orders/{order.number}/actions/1/skip/", {"note": "done by hand"})
    assert skipped.status_code == 200, skipped.json()
    assert skipped.json()["actions"][0]["status"] == "skipped"
    assert OrderAudit.objects.filter(order=order, transition="action_skipped").exists()
    again = api.post(f"/api/v1/orders/{order.number}/actions/1/skip/", {"note": "again"})
    assert again.status_code == 400
    assert "already skipped" in again.json()["detail"]


def test_list_filters_by_status_for_staff(coordinator, queues, technician):
    submitted = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    order_submit(order=submitted, actor=coordinator)
    OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    api = key_client(technician)
    rows = api.get("/api/v1/orders/", {"status": "submitted"}).json()["results"]
    assert [row["number"] for row in rows] == [submitted.number]


def test_staff_set_dates_owner_and_priority(coordinator, queues, technician, make_user):
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    order_submit(order=order, actor=coordinator)
    api = key_client(make_user(Role.ORDERS_TECHNICIAN))
    # Planned dates lie between today and two years ahead (the staff page's rule).
    planned = (timezone.localdate() + dt.timedelta(days=45)).isoformat()
    response = api.post(
        f"/api/v1/orders/{order.number}/details/",
        {"planned_completion_date": planned, "priority": "high", "owner_id": technician.pk},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["planned_completion_date"], body["priority"]) == (planned, "high")
    assert body["owner"] == technician.email
    audit = OrderAudit.objects.filter(order=order, transition="details_changed").get()
    assert "Priority: Normal → High" in audit.note
    not_staff = api.post(f"/api/v1/orders/{order.number}/details/", {"owner_id": coordinator.pk})
    assert not_staff.json()["errors"] == {
        "owner_id": ["Choose an active person who works on orders."]
    }
    assert (
        key_client(coordinator)
        .post(f"/api/v1/orders/{order.number}/details/", {"priority": "low"})
        .status_code
        == 403
    )
