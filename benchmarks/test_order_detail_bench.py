"""The order pages with a long history (issue #17, goal 3), run by `make bench`:

* the staff order page and the coordinator's order page answer in under 15 ms
  median (warm, through the WSGI handler) for an order with 50 audit rows,
  50 messages and 20 emails;
* both run the same number of queries as for an order with one of each: the
  timelines show their newest entries, older ones a "show older" link away.

Each case prints its median wall and CPU time and its query count.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from accounts.roles import Role
from accounts.services import user_set_roles
from benchmarks.scale import Server, staff_member
from notifications.models import OutboundEmail
from orders.choices import ActionKind, ActionStatus, MessageKind, OrderStatus, OrderType
from orders.models import FIRST_ORDER_NUMBER, Order, OrderAction, OrderAudit, OrderMessage

TARGET_MS = 15
KINDS = (
    MessageKind.REPLY,
    MessageKind.INTERNAL_COMMENT,
    MessageKind.CLIENT_COMMENT,
    MessageKind.FOLLOW_UP,
)


def order_with_history(
    *, organization, coordinator, staff, number: int, audits: int, messages: int, emails: int
) -> Order:
    """An in-progress email-only order with three steps and the given history (bulk rows)."""
    now = timezone.now()
    order = Order.objects.create(
        number=number,
        order_type=OrderType.EMAIL_ONLY,
        organization=organization,
        submitted_by=coordinator,
        owner=staff,
        status=OrderStatus.IN_PROGRESS,
        new_full_name="Bench Person",
        new_username=f"bench{number}",
        new_email=f"bench{number}@example.edu",
        submitted_at=now - dt.timedelta(days=30),
    )
    OrderAction.objects.bulk_create(
        OrderAction(
            order=order,
            position=p,
            name=f"Step {p}",
            kind=ActionKind.MANUAL,
            status=ActionStatus.DONE if p == 1 else ActionStatus.PENDING,
        )
        for p in (1, 2, 3)
    )
    OrderAudit.objects.bulk_create(
        OrderAudit(
            order=order,
            actor=staff,
            transition="note",
            from_status=OrderStatus.IN_PROGRESS,
            to_status=OrderStatus.IN_PROGRESS,
            note=f"History entry {i}",
            created_at=now - dt.timedelta(hours=audits - i),
        )
        for i in range(audits)
    )
    OrderMessage.objects.bulk_create(
        OrderMessage(
            order=order,
            kind=KINDS[i % len(KINDS)],
            body=f"Message {i}: the mailbox is on its way.\nSecond line.",
            author=coordinator if i % 2 else staff,
            from_client=bool(i % 2),
            assigned_to=staff if KINDS[i % len(KINDS)] == MessageKind.FOLLOW_UP else None,
            created_at=now - dt.timedelta(hours=messages - i),
        )
        for i in range(messages)
    )
    order_type = ContentType.objects.get_for_model(Order)
    OutboundEmail.objects.bulk_create(
        OutboundEmail(
            key=f"bench-{number}-{i}",
            template="orders/email/update",
            to=["coordinator@example.edu"],
            subject=f"Order {number}: update {i}",
            body_text="An update.",
            related_type=order_type,
            related_id=str(order.pk),
        )
        for i in range(emails)
    )
    return order


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """A short-history and a long-history order, a staff member and a coordinator;
    flushed after the module."""
    with django_db_blocker.unblock():
        organization = Organization.objects.create(name="Bench detail organization")
        coordinator = User.objects.create_user(
            email="bench.coordinator@example.edu",
            full_name="Bench Coordinator",
            organization=organization,
        )
        user_set_roles(user=coordinator, roles=[Role.COORDINATOR])
        staff = staff_member()
        last = Order.objects.order_by("-number").values_list("number", flat=True).first()
        first = max(last or 0, FIRST_ORDER_NUMBER) + 1
        common = {"organization": organization, "coordinator": coordinator, "staff": staff}
        short = order_with_history(**common, number=first, audits=1, messages=1, emails=1)
        long = order_with_history(**common, number=first + 1, audits=50, messages=50, emails=20)
        yield {"staff": Server(staff), "coordinator": Server(coordinator)}, short, long
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_order_pages_with_a_long_history_are_fast_and_fixed(pages):
    servers, short, long = pages
    print(f"\n{'case':34} {'wall':>9} {'CPU':>9} {'queries':>8}  (50 audits, messages; 20 emails)")
    slow, drift = [], []
    for name, who, route in (
        ("staff order page", "staff", "orders:staff_detail"),
        ("coordinator order page", "coordinator", "orders:portal_detail"),
    ):
        server = servers[who]
        few = server.queries(reverse(route, args=[short.number]))
        url = reverse(route, args=[long.number])
        queries = server.queries(url)
        median, cpu = server.median_ms(url)
        print(f"{name:34} {median:7.1f}ms {cpu:7.1f}ms {queries:8d}  (short history: {few})")
        if median >= TARGET_MS:
            slow.append(f"{name}: {median:.1f} ms")
        if queries != few:
            drift.append(f"{name}: {few} queries with one entry each, {queries} with the long one")
    assert drift == []
    assert slow == []
