"""What staff change on the order page: process/skip a step, details, hold/resume, cancel."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from orders.choices import ActionKind, ActionStatus, OrderStatus
from orders.exceptions import OrderTransitionNotAllowed
from orders.models import OrderAudit
from orders.services import order_resume

from .staff_helpers import submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit)


def test_process_the_manual_step_completes_the_order(client, technician, order, commit):
    client.force_login(technician)
    action = order.actions.get(kind=ActionKind.MANUAL, status=ActionStatus.PENDING)
    with commit():
        response = client.post(
            reverse("orders:staff_action_process", args=[order.number, action.pk]),
            {"note": "Groups checked."},
        )
    assert response.status_code == 302
    order.refresh_from_db()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.note == "Groups checked."
    assert order.status == OrderStatus.COMPLETED


def test_skip_needs_a_note(client, technician, order):
    client.force_login(technician)
    action = order.actions.get(kind=ActionKind.MANUAL, status=ActionStatus.PENDING)
    url = reverse("orders:staff_action_skip", args=[order.number, action.pk])
    client.post(url, {"note": ""})
    action.refresh_from_db()
    assert action.status == ActionStatus.PENDING
    client.post(url, {"note": "Customer has no groups."})
    action.refresh_from_db()
    assert action.status == ActionStatus.SKIPPED
    assert action.note == "Customer has no groups."


def test_details_edit_writes_one_audit_row_and_tells_the_new_owner(
    client, technician, manager, order, commit
):
    client.force_login(manager)
    planned = timezone.localdate() + dt.timedelta(days=3)
    with commit():
        response = client.post(
            reverse("orders:staff_details", args=[order.number]),
            {
                "requested_completion_date": timezone.localdate() + dt.timedelta(days=1),
                "planned_completion_date": planned,
                "owner": manager.pk,
                "priority": "high",
                "note": "Customer is a VIP.",
            },
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.planned_completion_date == planned
    assert order.owner == manager
    assert order.priority == "high"
    audit = OrderAudit.objects.filter(order=order, transition="details_changed").get()
    assert f"Planned completion: — → {planned:%b} {planned.day}, {planned.year}" in audit.note
    assert "Priority: Normal → High" in audit.note
    assert audit.actor == manager
    # The actor made themself owner: no email to themself.
    assert not OutboundEmail.objects.filter(subject__icontains="owner").exists()

    with commit():
        client.post(
            reverse("orders:staff_details", args=[order.number]),
            {"owner": technician.pk, "priority": "high"},
        )
    assert OutboundEmail.objects.filter(to=[technician.email]).exists()


def test_details_owner_must_work_orders(client, manager, coordinator, order):
    client.force_login(manager)
    response = client.post(
        reverse("orders:staff_details", args=[order.number]),
        {"owner": coordinator.pk, "priority": "normal"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_hold_and_resume(client, technician, order):
    client.force_login(technician)
    client.post(reverse("orders:staff_hold", args=[order.number]), {"note": "Waiting on HR."})
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_HOLD
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "The order is on hold" in page
    assert "Process “" not in page
    client.post(reverse("orders:staff_resume", args=[order.number]))
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS


def test_cancel_asks_for_confirmation_and_is_never_undone(client, manager, technician, order):
    client.force_login(technician)
    assert client.post(reverse("orders:staff_cancel", args=[order.number])).status_code == 403

    client.force_login(manager)
    url = reverse("orders:staff_cancel", args=[order.number])
    page = client.get(url).content.decode()
    assert "can never be reopened" in page
    # Without the confirmation box nothing happens.
    client.post(url, {"note": "Duplicate."})
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS

    client.post(url, {"note": "Duplicate.", "confirm": "on"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED

    # No page leads out of cancelled.
    detail = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    for button in ("Resume</button>", "Cancel order…", "Put on hold</button>", "Process “"):
        assert button not in detail
    for name in ("staff_resume", "staff_hold"):
        client.post(reverse(f"orders:{name}", args=[order.number]))
    action = order.actions.first()
    client.post(
        reverse("orders:staff_action_process", args=[order.number, action.pk]), {"note": "x"}
    )
    client.post(reverse("orders:staff_cancel", args=[order.number]), {"note": "x", "confirm": "on"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    with pytest.raises(OrderTransitionNotAllowed):
        order_resume(order=order, actor=manager)
