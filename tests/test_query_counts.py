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


def _people(ctx, n):
    from tests.accounts.factories import UserFactory

    for i in range(n):
        UserFactory(full_name=f"Avery Garcia {i}", organization=ctx["org"])


PAGES: dict[str, Page] = {
    "orders:portal_list": Page(
        Role.COORDINATOR, lambda ctx: reverse("orders:portal_list"), _orders
    ),
    "orders:portal_detail": Page(Role.COORDINATOR, _order_page("orders:portal_detail"), _messages),
    "orders:portal_people": Page(
        Role.COORDINATOR, lambda ctx: reverse("orders:portal_people") + "?q=avery", _people
    ),
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
