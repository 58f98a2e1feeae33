"""Exact query counts of the list and detail pages, against a committed baseline.

Each page is opened by a role allowed to see it at two data sizes (3 and 12
rows of what it lists); both counts must be equal (no query per row) and equal
to the page's number in ``tests/query_counts.json``. A first, unmeasured
request warms what a page makes once per person (a calendar feed token, the
cached business calendar). ``QUERY_COUNTS_UPDATE=1 pytest
tests/test_query_counts.py`` rewrites the baseline (NetBox keeps its counts the
same way); review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import SupportTeamFactory

pytestmark = pytest.mark.django_db

BASELINE = Path(__file__).with_name("query_counts.json")
SIZES = (3, 12)


@dataclass(frozen=True)
class Page:
    """``setup(ctx)`` -> (user, url); ``grow(ctx, n)`` adds n rows the page shows."""

    role: Role | str
    setup: Callable
    grow: Callable


def _orders(ctx, n):
    from tests.orders.factories import OrderFactory

    for _ in range(n):
        OrderFactory(organization=ctx["org"], submitted_by=ctx["coordinator"])


def _messages(ctx, n):
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


def _preferences(ctx, n):
    from tests.scheduling.factories import ScheduleSlotPreferenceFactory

    for _ in range(n):
        ScheduleSlotPreferenceFactory(team=SupportTeamFactory())


def _slots(ctx, n):
    from tests.scheduling.factories import ScheduleSlotFactory

    team = ctx.setdefault("team", SupportTeamFactory())
    for i in range(n):
        start = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC) + dt.timedelta(hours=i)
        ScheduleSlotFactory(team=team, start=start, end=start + dt.timedelta(minutes=30))


def _slot_detail(ctx):
    from tests.scheduling.factories import ScheduleSlotFactory

    ctx["slot"] = ScheduleSlotFactory(capacity=40)
    return reverse("scheduling:slot_detail", args=[ctx["slot"].pk])


def _bookings(ctx, n):
    from scheduling.services import booking_create

    for _ in range(n):
        booking_create(slot_id=ctx["slot"].pk, booked_object=SupportTeamFactory())


def _configs(ctx, n):
    from tests.refresh.factories import RefreshConfigFactory

    for _ in range(n):
        RefreshConfigFactory()


def _batches(ctx, n):
    from refresh.models import RefreshBatch
    from tests.refresh.factories import RefreshConfigFactory

    config = ctx.setdefault("config", RefreshConfigFactory())
    for i in range(n):
        RefreshBatch.objects.create(name=f"Batch {i}", config=config, serials_text="SN1")


def _config_detail(ctx):
    from tests.refresh.factories import RefreshConfigFactory

    ctx["config"] = RefreshConfigFactory()
    return reverse("refresh:config_detail", args=[ctx["config"].pk])


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


PAGES: dict[str, Page] = {
    "orders:portal_list": Page(
        Role.COORDINATOR, lambda ctx: reverse("orders:portal_list"), _orders
    ),
    "orders:portal_detail": Page(Role.COORDINATOR, _order_page("orders:portal_detail"), _messages),
    "orders:staff_list": Page(
        Role.ORDERS_MANAGER, lambda ctx: reverse("orders:staff_list"), _orders
    ),
    "orders:staff_detail": Page(Role.ORDERS_MANAGER, _order_page("orders:staff_detail"), _messages),
    "orders:staff_appointments": Page(Role.ORDERS_TECHNICIAN, _appointments_page, _appointments),
    "notifications:outbox": Page(
        Role.ORDERS_TECHNICIAN, lambda ctx: reverse("notifications:outbox"), _emails
    ),
    "notifications:outbox_detail": Page(Role.ORDERS_TECHNICIAN, _outbox_detail, _emails),
    "integrations:itsm_stub": Page(
        Role.REFRESH_MANAGER, lambda ctx: reverse("integrations:itsm_stub"), _stub_tickets
    ),
    "integrations:itsm_stub_ticket": Page(Role.REFRESH_MANAGER, _stub_ticket, _stub_tasks),
    "scheduling:preference_list": Page(
        Role.SCHEDULE_SLOT_ADMIN, lambda ctx: reverse("scheduling:preference_list"), _preferences
    ),
    "scheduling:calendar": Page(
        Role.REFRESH_MANAGER,
        lambda ctx: reverse("scheduling:calendar") + "?view=week&date=2026-11-23",
        _slots,
    ),
    "scheduling:slot_detail": Page(Role.REFRESH_MANAGER, _slot_detail, _bookings),
    "refresh:batch_list": Page(
        Role.REFRESH_ADMINISTRATOR, lambda ctx: reverse("refresh:batch_list"), _batches
    ),
    "refresh:config_detail": Page(Role.REFRESH_ADMINISTRATOR, _config_detail, _batches),
    "refresh:config_list": Page(
        Role.REFRESH_ADMINISTRATOR, lambda ctx: reverse("refresh:config_list"), _configs
    ),
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


PAGES.update(
    {
        "orders:portal_new": Page(
            Role.COORDINATOR, lambda ctx: reverse("orders:portal_new"), _request_types
        ),
        "orders:portal_request_create": Page(Role.COORDINATOR, _request_form, _request_fields),
        "orders:staff_requests": Page(Role.ORDERS_TECHNICIAN, _requests_page, _requests),
    }
)


def _load() -> dict[str, int]:
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else {}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured.captured_queries)


def test_the_baseline_names_exactly_the_measured_pages():
    assert sorted(_load()) == sorted(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_query_count_matches_the_baseline(client, make_user, organization, name):
    page = PAGES[name]
    ctx = {"org": organization}
    ctx["coordinator"] = make_user(Role.COORDINATOR, organization=organization)
    user = (
        ctx["coordinator"] if page.role is Role.COORDINATOR else make_user(page.role, is_staff=True)
    )
    client.force_login(user)
    ctx["user"] = user
    url = page.setup(ctx)
    page.grow(ctx, SIZES[0])
    client.get(url)  # warm what the page makes once per person
    counts = [_count(client, url)]
    page.grow(ctx, SIZES[1] - SIZES[0])
    counts.append(_count(client, url))
    assert counts[0] == counts[1], (
        f"{name}: {counts[0]} queries at {SIZES[0]} rows, {counts[1]} at {SIZES[1]}"
    )
    if os.environ.get("QUERY_COUNTS_UPDATE") == "1":
        baseline = _load()
        baseline[name] = counts[0]
        BASELINE.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")
        return
    assert _load().get(name) == counts[0], (
        f"{name} makes {counts[0]} queries; tests/query_counts.json says {_load().get(name)} "
        "(QUERY_COUNTS_UPDATE=1 rewrites it)"
    )
