"""The order pages' timelines (issue #17): the newest entries of the messages, the
history and the emails, "show older" links (plain links, no JavaScript) that
reach the oldest entry, and a query count that does not grow with the history."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from orders.choices import MessageKind, OrderStatus
from orders.models import Order, OrderAudit, OrderMessage
from orders.selectors import TIMELINE_SIZE
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db

ENTRIES = TIMELINE_SIZE * 2 + 3  # three pages of each


def _history(order, *, staff, coordinator, entries: int) -> None:
    """``entries`` messages (every other one internal), audit rows and emails, one hour
    apart, numbered from the oldest (00)."""
    start = timezone.now() - dt.timedelta(days=10)
    OrderMessage.objects.bulk_create(
        OrderMessage(
            order=order,
            kind=MessageKind.REPLY if i % 2 == 0 else MessageKind.INTERNAL_COMMENT,
            body=f"Message {i:02d}",
            author=coordinator if i % 2 == 0 else staff,
            created_at=start + dt.timedelta(hours=i),
        )
        for i in range(entries)
    )
    OrderAudit.objects.bulk_create(
        OrderAudit(
            order=order,
            actor=staff,
            to_status=OrderStatus.DRAFT,
            note=f"Audit {i:02d}",
            created_at=start + dt.timedelta(hours=i),
        )
        for i in range(entries)
    )
    for i in range(entries):
        email = OutboundEmail.objects.create(
            key=f"timeline-{order.pk}-{i}",
            template="orders/update",
            to=["someone@example.edu"],
            subject=f"Email {i:02d}",
            body_text="x",
            related_type=ContentType.objects.get_for_model(Order),
            related_id=str(order.pk),
        )
        OutboundEmail.objects.filter(pk=email.pk).update(created_at=start + dt.timedelta(hours=i))


def _link(html: str, text: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)">{text}</a>', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(client, url: str, text: str, pattern: str, django_assert_num_queries, queries: int):
    """Follow the ``text`` links from ``url``; the entries matching ``pattern`` seen on
    each page, every page read in ``queries`` queries."""
    pages = []
    while url:
        with django_assert_num_queries(queries):
            html = client.get(url).content.decode()
        pages.append(re.findall(pattern, html))
        url = _link(html, text)
    return pages


def _queries(client, url) -> int:
    """Queries of a warm read of ``url`` (an order with one entry of each)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_staff_page_shows_the_newest_entries_and_show_older_reaches_the_oldest(
    client, technician, coordinator, django_assert_num_queries
):
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    short = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    _history(order, staff=technician, coordinator=coordinator, entries=ENTRIES)
    _history(short, staff=technician, coordinator=coordinator, entries=1)
    client.force_login(technician)
    url = reverse("orders:staff_detail", args=[order.number])
    queries = _queries(client, reverse("orders:staff_detail", args=[short.number]))

    messages = _walk(
        client, url, "Show older messages", r"Message (\d\d)", django_assert_num_queries, queries
    )
    # Newest first page by page, each page in reading order (oldest first).
    newest = [f"{i:02d}" for i in range(ENTRIES - TIMELINE_SIZE, ENTRIES)]
    assert messages[0] == newest
    assert [len(page) for page in messages] == [TIMELINE_SIZE, TIMELINE_SIZE, 3]
    assert messages[-1][0] == "00"
    assert sorted(m for page in messages for m in page) == [f"{i:02d}" for i in range(ENTRIES)]

    for text, pattern in (
        ("Show older history", r"Audit (\d\d)"),
        ("Show older emails", r"Email (\d\d)"),
    ):
        pages = _walk(client, url, text, pattern, django_assert_num_queries, queries)
        assert pages[0][0] == f"{ENTRIES - 1:02d}"  # newest first
        assert pages[-1][-1] == "00"
        assert len({entry for page in pages for entry in page}) == ENTRIES

    # "Show newer" goes back; the other timelines keep their page.
    html = client.get(url, {"messages": 3, "history": 2}).content.decode()
    newer = _link(html, "Show newer messages")
    assert "messages=2" in newer
    assert "history=2" in newer
    assert re.findall(r"Message (\d\d)", client.get(newer).content.decode()) == messages[1]


def test_portal_page_pages_the_client_visible_thread(
    client, technician, coordinator, django_assert_num_queries
):
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    short = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    Order.objects.filter(pk__in=[order.pk, short.pk]).update(status=OrderStatus.SUBMITTED)
    _history(order, staff=technician, coordinator=coordinator, entries=ENTRIES * 2)
    _history(short, staff=technician, coordinator=coordinator, entries=1)
    client.force_login(coordinator)
    queries = _queries(client, reverse("orders:portal_detail", args=[short.number]))

    url = reverse("orders:portal_detail", args=[order.number])
    pages = _walk(
        client, url, "Show older messages", r"Message (\d\d)", django_assert_num_queries, queries
    )
    seen = [int(m) for page in pages for m in page]
    # Only the replies (even numbers) reach the client, every one of them.
    assert sorted(seen) == list(range(0, ENTRIES * 2, 2))
    assert pages[-1][0] == "00"
    assert len(pages[0]) == TIMELINE_SIZE
