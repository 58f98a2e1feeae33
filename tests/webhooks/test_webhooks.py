"""Webhooks: events raised from audit rows and bookings, signed deliveries to a real
local server after commit, retries with backoff for 24 h, the staff page, redeliver."""

import datetime as dt
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.services import order_queues_ensure_defaults, order_submit
from refresh.choices import TicketStatus
from tests.orders.factories import OrderFactory
from webhooks.choices import DeliveryStatus, WebhookEvent
from webhooks.models import WebhookDelivery
from webhooks.services import (
    retry_delay,
    webhook_delivery_attempt,
    webhook_endpoint_create,
    webhook_endpoint_update,
)
from webhooks.signing import SIGNATURE_HEADER, verify


@pytest.fixture
def hook(receiver, db):
    return lambda *events: webhook_endpoint_create(
        url=receiver.url, events=list(events), actor=None, secret="s3cret"
    )


@pytest.fixture
def submitted_order(coordinator, make_user):
    order_queues_ensure_defaults(team=[make_user(Role.ORDERS_TECHNICIAN)])
    return OrderFactory(organization=coordinator.organization, submitted_by=coordinator)


def test_order_submitted_is_delivered_signed_after_commit(
    hook, receiver, submitted_order, coordinator, django_capture_on_commit_callbacks
):
    hook(WebhookEvent.ORDER_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=submitted_order, actor=coordinator)
        assert receiver.requests == []  # nothing leaves before the commit
    [request] = receiver.requests
    body = request["body"]
    assert verify(
        secret="s3cret",
        header=request["headers"][SIGNATURE_HEADER],
        body=body,
        now=int(time.time()),
    )
    assert not verify(
        secret="other",
        header=request["headers"][SIGNATURE_HEADER],
        body=body,
        now=int(time.time()),
    )
    payload = json.loads(body)
    assert payload["event"] == "order.submitted"
    assert payload["data"]["order"]["number"] == submitted_order.number
    assert (payload["data"]["from_status"], payload["data"]["to_status"]) == ("draft", "submitted")
    delivery = WebhookDelivery.objects.get()
    assert request["headers"]["Webhook-Delivery"] == str(delivery.delivery_id) == payload["id"]
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.response_code) == (1, 200)
    assert delivery.duration_ms is not None


def test_unsubscribed_events_and_rolled_back_changes_send_nothing(
    hook, receiver, submitted_order, coordinator, django_capture_on_commit_callbacks
):
    hook(WebhookEvent.ORDER_CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=submitted_order, actor=coordinator)
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_ticket_status_change_and_step_events(
    hook, receiver, flow, django_capture_on_commit_callbacks
):
    hook(WebhookEvent.TICKET_STATUS_CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = flow.to(TicketStatus.ON_HOLD)
    events = [json.loads(r["body"]) for r in receiver.requests]
    assert {e["event"] for e in events} == {"ticket.status_changed"}
    assert events[-1]["data"]["to_status"] == "on_hold"
    assert events[-1]["data"]["ticket"]["number"] == ticket.number


def test_bookings_made_moved_cancelled(hook, receiver, flow, make_slot, admin):
    from refresh.services import ticket_book_slot, ticket_cancel

    hook(WebhookEvent.BOOKING_MADE, WebhookEvent.BOOKING_MOVED, WebhookEvent.BOOKING_CANCELLED)
    ticket = flow.to(TicketStatus.PENDING_CUSTOMER_SCHEDULING)
    first, second = make_slot(days=3), make_slot(days=4)
    ticket_book_slot(ticket=ticket, slot_id=first.pk, actor=admin, actor_label="")
    ticket_book_slot(ticket=ticket, slot_id=second.pk, actor=admin, actor_label="")
    ticket_cancel(ticket=ticket, actor=admin, note="left")
    rows = list(WebhookDelivery.objects.order_by("id").values_list("event", "payload"))
    assert [event for event, _ in rows] == ["booking.made", "booking.moved", "booking.cancelled"]
    assert rows[1][1]["data"]["from_slot_id"] == first.pk
    assert rows[1][1]["data"]["booking"]["slot_id"] == second.pk


def test_failures_retry_with_backoff_then_give_up_after_24_hours(
    hook, receiver, submitted_order, coordinator, django_capture_on_commit_callbacks
):
    hook(WebhookEvent.ORDER_SUBMITTED)
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=submitted_order, actor=coordinator)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("retrying", 500, 1)
    assert delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(seconds=30)
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 12)] == [30, 60, 120, 10800]
    # Not due yet: a second worker does nothing.
    assert webhook_delivery_attempt(delivery_id=delivery.pk) is None
    late = delivery.created_at + dt.timedelta(hours=23, minutes=59, seconds=30)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=late)
    given_up = webhook_delivery_attempt(delivery_id=delivery.pk, now=late)
    assert given_up.status == DeliveryStatus.FAILED
    assert given_up.attempts == 2
    assert len(receiver.requests) == 2


def test_a_slow_endpoint_times_out(
    settings, hook, receiver, submitted_order, coordinator, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.delay = 1.0
    hook(WebhookEvent.ORDER_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=submitted_order, actor=coordinator)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.response_code is None
    assert "Timeout" in delivery.last_error


def test_staff_page_lists_deliveries_and_redelivers(
    client,
    make_user,
    hook,
    receiver,
    submitted_order,
    coordinator,
    django_capture_on_commit_callbacks,
):
    hook(WebhookEvent.ORDER_SUBMITTED)
    receiver.status = 410
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=submitted_order, actor=coordinator)
    first = WebhookDelivery.objects.get()
    staff = make_user(Role.ORDERS_MANAGER)
    client.force_login(staff)
    page = client.get(reverse("webhooks:delivery_list")).content.decode()
    assert "Order submitted" in page
    assert "410" in page
    assert "Redeliver" in page
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:redeliver", args=[first.pk]))
    assert response.status_code == 302
    again = WebhookDelivery.objects.exclude(pk=first.pk).get()
    assert (again.redelivery_of, again.status, again.requested_by) == (first, "delivered", staff)
    assert json.loads(receiver.requests[-1]["body"])["data"] == first.payload["data"]


def test_staff_page_access(client, make_user, coordinator):
    url = reverse("webhooks:delivery_list")
    assert client.get(url).status_code == 302
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    assert client.get(url).status_code == 200


def test_register_an_endpoint_on_the_page(client, make_user):
    client.force_login(make_user(Role.ORDERS_MANAGER))
    bad = client.post(reverse("webhooks:endpoint_create"), {"url": "ftp://x", "events": []})
    assert bad.status_code == 200
    assert "Enter a valid URL." in bad.content.decode()
    response = client.post(
        reverse("webhooks:endpoint_create"),
        {"url": "https://hr.example.edu/hook", "events": ["order.completed"], "active": "on"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "whsec_" in page


def test_deactivating_an_endpoint_stops_new_deliveries(
    hook, receiver, submitted_order, coordinator
):
    endpoint = hook(WebhookEvent.ORDER_SUBMITTED)
    webhook_endpoint_update(
        endpoint=endpoint,
        url=endpoint.url,
        events=endpoint.events,
        description="",
        active=False,
    )
    order_submit(order=submitted_order, actor=coordinator)
    assert not WebhookDelivery.objects.exists()
    assert timezone.now()
