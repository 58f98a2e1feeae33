"""Writes of the webhooks app: endpoints, raising events, sending and redelivering.

Deliveries are rows created in the transaction that raised the event and sent by
``webhooks.tasks.webhook_deliver_task`` after commit, so nothing is sent for a
change that rolled back and no request waits for an outside server.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.effects import enqueue_on_commit

from .choices import DeliveryStatus, WebhookEvent
from .models import WebhookDelivery, WebhookEndpoint
from .selectors import endpoint_ids_for_event, subscriptions_forget
from .signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, payload_body, sign

DELIVER_TASK = "webhooks.tasks.webhook_deliver_task"
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3 * 60 * 60
# Claimed deliveries are not picked again by the sweep for this long.
CLAIM_SECONDS = 120


def _check_endpoint(*, url: str, events: list[str]) -> list[str]:
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": "Use an http:// or https:// URL."})
    events = sorted(set(events))
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise ValidationError({"events": "Choose at least one of the listed events."})
    return events


@transaction.atomic
def webhook_endpoint_create(
    *, url: str, events: list[str], description: str = "", secret: str = "", actor
) -> WebhookEndpoint:
    """A new active endpoint; a random secret is made when none is given."""
    events = _check_endpoint(url=url, events=events)
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        events=events,
        description=description.strip(),
        secret=secret.strip() or "whsec_" + secrets.token_urlsafe(32),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    subscriptions_forget()
    transaction.on_commit(subscriptions_forget)
    return endpoint


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: list[str], description: str, active: bool
) -> WebhookEndpoint:
    endpoint.url = url
    endpoint.events = _check_endpoint(url=url, events=events)
    endpoint.description = description.strip()
    endpoint.active = active
    endpoint.save(update_fields=["url", "events", "description", "active"])
    subscriptions_forget()
    transaction.on_commit(subscriptions_forget)
    return endpoint


def webhook_event_raise(*, event: str, data: dict) -> list[WebhookDelivery]:
    """Queue ``event`` for every subscribed endpoint; sent after the caller's commit."""
    endpoint_ids = endpoint_ids_for_event(event=event)
    if not endpoint_ids:
        return []
    now = timezone.now()
    payload = {"event": event, "created_at": now.isoformat(), "data": data}
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint_id=pk, event=event, payload=payload, next_attempt_at=now)
        for pk in endpoint_ids
    )
    for delivery in deliveries:
        enqueue_on_commit(DELIVER_TASK, delivery_id=delivery.pk)
    return deliveries


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s after the first failure, doubling, at most 3 h between attempts."""
    return dt.timedelta(
        seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)
    )


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take a due delivery for one attempt (a conditional UPDATE: one sender wins)."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def webhook_delivery_attempt(
    *, delivery_id: int, now: dt.datetime | None = None
) -> WebhookDelivery | None:
    """Send one due delivery once and record the outcome; None when not due or already final.

    2xx is delivered. Anything else (or a timeout) schedules a retry with
    exponential backoff until ``WEBHOOK_RETRY_HOURS`` after the event, then the
    delivery fails for good. The HTTP call runs outside any transaction.
    """
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.active:
        return _record(
            delivery, now=now, code=None, ms=None, error="The endpoint is inactive.", final=True
        )
    body = payload_body({"id": str(delivery.delivery_id), **delivery.payload})
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Handover-Webhooks/1",
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.delivery_id),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, timestamp=int(time.time()), body=body),
    }
    started = time.monotonic()
    code, error = None, ""
    try:
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        code = response.status_code
        if not 200 <= code < 300:
            error = f"The endpoint answered {code}."
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    ms = int((time.monotonic() - started) * 1000)
    return _record(delivery, now=now, code=code, ms=ms, error=error, final=False)


def _record(delivery, *, now, code, ms, error: str, final: bool) -> WebhookDelivery:
    delivery.attempts += 1
    delivery.response_code = code
    delivery.duration_ms = ms
    delivery.last_attempt_at = now
    delivery.last_error = error
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    else:
        next_at = now + retry_delay(delivery.attempts)
        horizon = delivery.created_at + dt.timedelta(hours=settings.WEBHOOK_RETRY_HOURS)
        if final or next_at > horizon:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = next_at
    delivery.save(
        update_fields=[
            "attempts",
            "response_code",
            "duration_ms",
            "last_attempt_at",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if delivery.status == DeliveryStatus.RETRYING:
        seconds = (delivery.next_attempt_at - now).total_seconds()
        enqueue_on_commit(DELIVER_TASK, delivery_id=delivery.pk, countdown=seconds)
    return delivery


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send the same payload again as a new delivery (the receiver sees a new delivery id)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "webhooks.view_webhookdelivery"
    ):
        raise ValidationError("You may not redeliver webhooks.", code="permission_denied")
    if not delivery.endpoint.active:
        raise ValidationError("The endpoint is inactive; activate it first.")
    copy = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        payload=delivery.payload,
        redelivery_of=delivery,
        requested_by=actor,
    )
    enqueue_on_commit(DELIVER_TASK, delivery_id=copy.pk)
    return copy


def webhook_deliveries_sweep(*, now: dt.datetime | None = None) -> int:
    """Re-enqueue due deliveries a worker never picked up (lost messages, restarts)."""
    from .selectors import deliveries_due

    ids = deliveries_due(now=now or timezone.now())
    for pk in ids:
        enqueue_on_commit(DELIVER_TASK, delivery_id=pk)
    return len(ids)
