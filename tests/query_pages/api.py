"""The REST API's list and detail endpoints (issue 15: fixed API list query counts).

Opened with the session of a person of the role (DRF's session
authentication; the permission checks are the ones an API key gets). List
endpoints grow their rows; a detail endpoint grows what it nests (an order's
steps) or, when it nests nothing, the rows of its list.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.roles import Role
from tests.query_pages import orders, refresh, scheduling
from tests.query_pages.base import Page, url


def _ticket(ctx):
    from refresh.models import RefreshTicket

    refresh.tickets_create(ctx, 1)
    return reverse("api:ticket-detail", args=[RefreshTicket.objects.latest("pk").pk])


def _batch(ctx):
    from refresh.models import RefreshBatch

    refresh.batches_create(ctx, 1)
    return reverse("api:batch-detail", args=[RefreshBatch.objects.latest("pk").pk])


def _config(ctx):
    from tests.refresh.factories import RefreshConfigFactory

    return reverse("api:config-detail", args=[RefreshConfigFactory().pk])


def _system(ctx):
    from tests.refresh.factories import SystemFactory

    return reverse("api:system-detail", args=[SystemFactory(organization=ctx["org"]).serial_number])


def _order(name):
    def setup(ctx):
        from orders.models import Order

        orders.queue_create(ctx)
        orders.queued_orders_create(ctx, 1)
        ctx["order"] = Order.objects.latest("pk")
        return reverse(name, args=[ctx["order"].number])

    return setup


def _order_steps(ctx, n):
    from orders.choices import ActionStatus

    orders.order_steps_add(ctx["order"], *[ActionStatus.PENDING] * n)


def _orders(ctx, n):
    ctx.get("queue") or orders.queue_create(ctx)
    orders.queued_orders_create(ctx, n)


def _attachments(ctx, n):
    from orders.models import OrderAttachment, OrderMessage

    message = OrderMessage.objects.create(
        order=ctx["order"], kind="reply", body="files", author=ctx["user"]
    )
    OrderAttachment.objects.bulk_create(
        OrderAttachment(
            message=message,
            file=f"orders/attachments/f{i}.pdf",
            filename=f"form-{i}.pdf",
            size=100,
            content_type="application/pdf",
        )
        for i in range(n)
    )


def _slot(ctx):
    from tests.scheduling.factories import ScheduleSlotFactory

    ctx["slot"] = ScheduleSlotFactory(capacity=40)
    return reverse("api:slot-detail", args=[ctx["slot"].pk])


def _request_types(ctx, n):
    """Staff-defined types offered to the organization, each with a field shown when
    another is answered (the list nests the fields and their conditions)."""
    from orders.services import custom_field_add, request_type_save

    start = ctx.setdefault("api_request_types", 0)
    for i in range(start, start + n):
        rt = request_type_save(
            data={"name": f"API type {i}", "all_organizations": False},
            organizations=[ctx["org"]],
        )
        works = custom_field_add(request_type=rt, data={"label": "Works", "kind": "yes_no"})
        custom_field_add(
            request_type=rt,
            data={"label": "Why", "show_when": works, "show_when_value": "no"},
        )
    ctx["api_request_types"] = start + n


def _request_type(ctx):
    from orders.services import request_type_save

    ctx["rt"] = request_type_save(
        data={"name": "API detail type", "all_organizations": False}, organizations=[ctx["org"]]
    )
    return reverse("api:request-type-detail", args=[ctx["rt"].slug])


def _request_type_fields(ctx, n):
    """The detail nests the type's fields, each shown when the one before is answered."""
    from orders.services import custom_field_add

    before = ctx.get("rt_last_field")
    start = ctx.setdefault("rt_fields", 0)
    for i in range(start, start + n):
        data = {"label": f"Field {i}", "kind": "yes_no"}
        if before is not None:
            data.update(show_when=before, show_when_value="no")
        before = custom_field_add(request_type=ctx["rt"], data=data)
    ctx["rt_last_field"], ctx["rt_fields"] = before, start + n


MANAGER, ADMIN = Role.REFRESH_MANAGER, Role.REFRESH_ADMINISTRATOR

PAGES: dict[str, Page] = {
    "api:ticket-list": Page(MANAGER, url("api:ticket-list"), refresh.tickets_create, cold=True),
    "api:ticket-detail": Page(MANAGER, _ticket, refresh.tickets_create, shows_rows=False),
    "api:batch-list": Page(ADMIN, url("api:batch-list"), refresh.batches_create),
    "api:batch-detail": Page(ADMIN, _batch, refresh.batches_create, shows_rows=False),
    "api:config-list": Page(ADMIN, url("api:config-list"), refresh.configs_create),
    "api:config-detail": Page(ADMIN, _config, refresh.configs_create, shows_rows=False),
    "api:system-list": Page(ADMIN, url("api:system-list"), refresh.systems_create),
    "api:system-detail": Page(ADMIN, _system, refresh.systems_create, shows_rows=False),
    "api:order-list": Page(Role.ORDERS_MANAGER, url("api:order-list"), _orders),
    "api:order-detail": Page(Role.ORDERS_MANAGER, _order("api:order-detail"), _order_steps),
    "api:order-messages": Page(
        Role.ORDERS_MANAGER, _order("api:order-messages"), orders.messages_create
    ),
    "api:order-attachments": Page(
        Role.ORDERS_MANAGER, _order("api:order-attachments"), _attachments
    ),
    "api:request-type-list": Page(Role.COORDINATOR, url("api:request-type-list"), _request_types),
    "api:request-type-detail": Page(Role.COORDINATOR, _request_type, _request_type_fields),
    "api:slot-list": Page(
        MANAGER, url("api:slot-list", "start=2026-11-23&end=2026-11-30"), scheduling.slots_create
    ),
    "api:slot-detail": Page(MANAGER, _slot, scheduling.bookings_create),
}
