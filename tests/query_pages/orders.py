"""Order desk pages: the coordinators' portal and the staff order manager."""

from __future__ import annotations

from django.urls import reverse

from accounts.roles import Role
from tests.query_pages.base import Page, url


def _orders(ctx, n):
    from tests.orders.factories import OrderFactory

    for _ in range(n):
        OrderFactory(organization=ctx["org"], submitted_by=ctx["coordinator"])


def messages_create(ctx, n):
    from orders.models import OrderMessage

    for _ in range(n):
        OrderMessage.objects.create(
            order=ctx["order"], kind="reply", body="x", author=ctx["coordinator"]
        )


def _order_page(name):
    def setup(ctx):
        from tests.orders.factories import OrderFactory

        ctx["order"] = OrderFactory(organization=ctx["org"], submitted_by=ctx["coordinator"])
        return reverse(name, args=[ctx["order"].number])

    return setup


def queue_create(ctx):
    from orders.choices import OrderType
    from orders.models import OrderQueue

    ctx["queue"] = OrderQueue.objects.create(name="Email desk", order_type=OrderType.EMAIL_ONLY)
    return ctx["queue"]


def _queue_page(ctx):
    return reverse("orders:staff_queue", args=[queue_create(ctx).pk])


def order_steps_add(order, *statuses):
    """Manual steps after the order's last one, with these statuses."""
    from orders.choices import ActionKind
    from orders.models import OrderAction

    start = order.actions.count() + 1
    OrderAction.objects.bulk_create(
        OrderAction(order=order, position=i, name=f"Step {i}", kind=ActionKind.MANUAL, status=s)
        for i, s in enumerate(statuses, start=start)
    )


def queued_orders_create(ctx, n):
    """Submitted orders in the queue, each waiting on its second of two steps."""
    from orders.choices import ActionStatus, OrderStatus
    from tests.orders.factories import OrderFactory

    for _ in range(n):
        order = OrderFactory(
            organization=ctx["org"],
            submitted_by=ctx["coordinator"],
            queue=ctx["queue"],
            status=OrderStatus.IN_PROGRESS,
            owner=ctx["user"],
        )
        order_steps_add(order, ActionStatus.DONE, ActionStatus.PENDING)


def _organization_search(ctx):
    from tests.orders.factories import OrderFactory

    order = OrderFactory(organization=ctx["org"], submitted_by=ctx["coordinator"])
    return reverse("orders:staff_organization", args=[order.number]) + "?q=medicine"


def _organizations(ctx, n):
    """Organizations the search finds, each with an email domain."""
    from tests.accounts.factories import OrganizationDomainFactory, OrganizationFactory

    start = ctx.setdefault("organizations", 0)
    for i in range(start, start + n):
        target = OrganizationFactory(name=f"School of Medicine {i}")
        OrganizationDomainFactory(organization=target, domain=f"med{i}.example.edu")
    ctx["organizations"] = start + n


def _appointments_page(ctx):
    from django.utils import timezone

    from tests.scheduling.factories import ScheduleSlotFactory

    ctx["slot"] = ScheduleSlotFactory(capacity=40)  # tomorrow at 09:00
    day = timezone.localtime(ctx["slot"].start).date()
    return reverse("orders:staff_appointments") + f"?view=week&day={day.isoformat()}"


def _appointments(ctx, n):
    from orders.choices import OrderStatus, OrderType
    from scheduling.services import booking_create
    from tests.orders.factories import InstallableSoftwareFactory, OrderFactory

    for _ in range(n):
        order = OrderFactory(
            organization=ctx["org"],
            order_type=OrderType.INSTALL_SOFTWARE,
            status=OrderStatus.IN_PROGRESS,
            workstation="WX1",
            owner=ctx["user"],
        )
        order.software.add(InstallableSoftwareFactory())
        booking_create(slot_id=ctx["slot"].pk, booked_object=order)


def _people(ctx, n):
    from tests.accounts.factories import UserFactory

    start = ctx.setdefault("people", 0)
    for i in range(start, start + n):
        UserFactory(full_name=f"Avery Garcia {i}", organization=ctx["org"])
    ctx["people"] = start + n


def _people_page(ctx):
    return reverse("orders:portal_people") + "?q=avery"


PAGES: dict[str, Page] = {
    "orders:portal_people": Page(Role.COORDINATOR, _people_page, _people),
    "orders:portal_list": Page(Role.COORDINATOR, url("orders:portal_list"), _orders),
    "orders:portal_detail": Page(
        Role.COORDINATOR, _order_page("orders:portal_detail"), messages_create
    ),
    "orders:staff_list": Page(Role.ORDERS_MANAGER, url("orders:staff_list"), _orders),
    "orders:staff_queue": Page(Role.ORDERS_TECHNICIAN, _queue_page, queued_orders_create),
    "orders:staff_detail": Page(
        Role.ORDERS_MANAGER, _order_page("orders:staff_detail"), messages_create
    ),
    "orders:staff_organization": Page(Role.ORDERS_TECHNICIAN, _organization_search, _organizations),
    "orders:staff_appointments": Page(Role.ORDERS_TECHNICIAN, _appointments_page, _appointments),
}


# Request types (issue 13): the chooser grows by types, the form by fields, the
# filtered staff list by requests with the answer looked for.
def _request_types(ctx, n):
    from orders.services import request_type_save

    start = ctx.setdefault("request_types", 0)
    for i in range(start, start + n):
        request_type_save(data={"name": f"Request type {i}"})
    ctx["request_types"] = start + n


def _request_form(ctx):
    from orders.services import custom_field_add, request_type_save

    ctx["rt"] = request_type_save(data={"name": "Form type"})
    ctx["choice"] = custom_field_add(
        request_type=ctx["rt"], data={"label": "Pick", "kind": "choice", "choices": ["A", "B"]}
    )
    return reverse("orders:portal_request_create", args=[ctx["rt"].slug])


def _request_fields(ctx, n):
    from orders.services import custom_field_add

    for i in range(n):
        kind = ["person", "number", "date", "choice", "text", "yes_no"][i % 6]
        custom_field_add(
            request_type=ctx["rt"],
            data={
                "label": f"Field {kind} {ctx['rt'].fields.count()}",
                "kind": kind,
                "choices": ["A", "B"] if kind == "choice" else [],
                "show_when": ctx["choice"],
                "show_when_value": "A",
            },
        )


def _requests_page(ctx):
    url = _request_form(ctx)
    del url
    return reverse("orders:staff_requests") + f"?type={ctx['rt'].pk}&field=pick&value=A"


def _requests(ctx, n):
    from orders.choices import OrderType
    from tests.orders.factories import OrderFactory

    for _ in range(n):
        OrderFactory(
            organization=ctx["org"],
            order_type=OrderType.REQUEST,
            request_type=ctx["rt"],
            custom_values={"pick": "A"},
            new_username="",
        )


def _request_type_page(ctx):
    _request_form(ctx)
    return reverse("orders:staff_request_type", args=[ctx["rt"].pk])


REQUEST_TYPE_PAGES: dict[str, Page] = {
    "orders:staff_request_types": Page(
        Role.ORDERS_MANAGER, url("orders:staff_request_types"), _request_types
    ),
    "orders:staff_request_type": Page(Role.ORDERS_MANAGER, _request_type_page, _request_fields),
    "orders:portal_new": Page(Role.COORDINATOR, url("orders:portal_new"), _request_types),
    "orders:portal_request_create": Page(Role.COORDINATOR, _request_form, _request_fields),
    "orders:staff_requests": Page(Role.ORDERS_TECHNICIAN, _requests_page, _requests),
}
PAGES.update(REQUEST_TYPE_PAGES)
