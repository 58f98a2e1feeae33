"""Pages that watch the machinery: the Outbox, the ITSM stub, webhooks, API keys."""

from __future__ import annotations

from django.urls import reverse

from accounts.roles import Role
from tests.query_pages.base import Page, url


def _emails(ctx, n):
    from notifications.models import OutboundEmail

    start = OutboundEmail.objects.count()
    for i in range(start, start + n):
        OutboundEmail.objects.create(key=f"k{i}", template="t", to=["a@b.c"], subject=f"S{i}")


def _outbox_detail(ctx):
    from notifications.models import OutboundEmail

    email = OutboundEmail.objects.create(key="one", template="t", to=["a@b.c"], subject="S")
    return reverse("notifications:outbox_detail", args=[email.pk])


def _stub_tickets(ctx, n):
    from integrations.models import StubITSMTicket

    for i in range(n):
        StubITSMTicket.objects.create(title=f"Ticket {i}")


def _stub_ticket(ctx):
    from integrations.models import StubITSMTicket

    ctx["stub"] = StubITSMTicket.objects.create(title="One")
    return reverse("integrations:itsm_stub_ticket", args=[ctx["stub"].pk])


def _stub_tasks(ctx, n):
    from integrations.itsm.stub import StubITSMClient

    client = StubITSMClient()
    for i in range(n):
        client.add_task(ticket_id=str(ctx["stub"].pk), title=f"Task {i}", idempotency_key=f"t{i}")


def _effects(ctx, n):
    from common.models import Effect, EffectStatus

    start = Effect.objects.count()
    for i in range(start, start + n):
        Effect.objects.create(
            task_name="refresh.tasks.itsm_ticket_create_task",
            kwargs={"ticket_id": i},
            target_kind="ticket",
            target_id=i,
            key=f"e{i}",
            status=EffectStatus.FAILED,
            attempts=1,
            last_error="PermanentITSMError: refused",
        )


def _deliveries(ctx, n):
    """Deliveries to endpoints of different people, some of them redeliveries."""
    from tests.accounts.factories import UserFactory
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    for i in range(n):
        endpoint = WebhookEndpoint.objects.create(
            url=f"https://hooks.example.edu/{i}", secret="s", created_by=UserFactory()
        )
        first = WebhookDelivery.objects.create(
            endpoint=endpoint, event="order.submitted", payload={"n": i}
        )
        if i % 2:
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                event="order.submitted",
                payload={"n": i},
                redelivery_of=first,
                requested_by=ctx["user"],
            )


def _api_keys(ctx, n):
    from api.services import api_key_create

    start = ctx.setdefault("keys", 0)
    for i in range(start, start + n):
        api_key_create(user=ctx["user"], name=f"Key {i}")
    ctx["keys"] = start + n


PAGES: dict[str, Page] = {
    # Lists whose counts are cached (issue 17) are measured cold: the count included.
    "notifications:outbox": Page(
        Role.ORDERS_TECHNICIAN, url("notifications:outbox"), _emails, cold=True
    ),
    "notifications:outbox_detail": Page(
        Role.ORDERS_TECHNICIAN, _outbox_detail, _emails, shows_rows=False
    ),
    "integrations:itsm_stub": Page(
        Role.REFRESH_MANAGER, url("integrations:itsm_stub"), _stub_tickets, cold=True
    ),
    "integrations:itsm_stub_ticket": Page(Role.REFRESH_MANAGER, _stub_ticket, _stub_tasks),
    "integrations:effects": Page(
        Role.ORDERS_MANAGER, url("integrations:effects"), _effects, cold=True
    ),
    "webhooks:delivery_list": Page(Role.ORDERS_MANAGER, url("webhooks:delivery_list"), _deliveries),
    "api_keys:list": Page(Role.ORDERS_TECHNICIAN, url("api_keys:list"), _api_keys),
}
