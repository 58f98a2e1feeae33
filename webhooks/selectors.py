"""Reads of the webhooks app."""

from __future__ import annotations

from django.db.models import QuerySet

from common.cache import cache_delete, cache_get, cache_set

from .models import WebhookDelivery, WebhookEndpoint

_SUBSCRIPTIONS_KEY = "webhooks:subscriptions:v1"


def can_manage_webhooks(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("webhooks.view_webhookdelivery")
    )


def subscriptions_forget() -> None:
    """Endpoints changed: the next event reads them again."""
    cache_delete(_SUBSCRIPTIONS_KEY)


def endpoint_ids_for_event(*, event: str) -> list[int]:
    """Active endpoints subscribed to ``event``.

    Events are raised on every audited status change, so the subscriptions are
    cached until an endpoint changes (one query per cache fill, none after). The
    cache down: read from the database (a transition never fails for the cache).
    """
    subscriptions = cache_get(_SUBSCRIPTIONS_KEY)
    if subscriptions is None:
        subscriptions = list(
            WebhookEndpoint.objects.filter(active=True).values_list("pk", "events")
        )
        cache_set(_SUBSCRIPTIONS_KEY, subscriptions, timeout=None, attempts=1)
    return [pk for pk, events in subscriptions if event in (events or [])]


def endpoints_for_staff(*, user) -> QuerySet[WebhookEndpoint]:
    if not can_manage_webhooks(user):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.order_by("url", "id")


def deliveries_for_staff(
    *, user, endpoint_id: int | None = None, status: str = ""
) -> QuerySet[WebhookDelivery]:
    """Newest first, with their endpoint (one query per page)."""
    if not can_manage_webhooks(user):
        return WebhookDelivery.objects.none()
    qs = WebhookDelivery.objects.select_related("endpoint").defer("payload")
    if endpoint_id:
        qs = qs.filter(endpoint_id=endpoint_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def deliveries_due(*, now, limit: int = 500) -> list[int]:
    from .choices import DeliveryStatus

    return list(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
