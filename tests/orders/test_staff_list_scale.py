"""The staff order list at size (issue #17): its totals and page count are cached
but never stale after a write through the services, and a deep page shows each
order's "waiting on" step like page 1, with the same number of queries."""

import re

import pytest
from django.urls import reverse

from orders.choices import OrderType
from orders.models import Order
from orders.services import order_hold
from tests.orders.factories import OrderFactory
from tests.orders.staff_helpers import draft_email_order, submitted_email_order

pytestmark = pytest.mark.django_db


def _tab(html: str, label: str) -> int:
    found = re.search(rf">{label} <span class=\"badge\">(\d+)</span>", html)
    assert found, f"no {label} tab"
    return int(found.group(1))


def test_status_totals_and_page_count_follow_each_write(
    client, technician, coordinator, queues, directory, commit
):
    client.force_login(technician)
    order = submitted_email_order(coordinator=coordinator, commit=commit)
    url = reverse("orders:staff_list")
    html = client.get(url).content.decode()
    assert (_tab(html, "All"), _tab(html, "On hold")) == (1, 0)

    # The next page views are served from the cache; a write drops it at once.
    order_hold(order=order, actor=technician, note="waiting for HR")
    draft_email_order(coordinator=coordinator)
    html = client.get(url).content.decode()
    assert (_tab(html, "All"), _tab(html, "On hold"), _tab(html, "Draft")) == (2, 1, 1)

    for i in range(30):
        draft_email_order(coordinator=coordinator, new_full_name=f"Person {i}")
    assert "Page 1 of 2 · 32 in all" in client.get(url).content.decode()


def _next_link(html: str) -> str:
    found = re.search(r'href="(\?[^"]+)" rel="next"', html)
    assert found, "no Next link"
    return found.group(1).replace("&amp;", "&")


def test_a_deep_page_shows_the_waiting_step_with_the_queries_of_page_one(
    client,
    technician,
    coordinator,
    queues,
    directory,
    commit,
    django_assert_num_queries,
):
    client.force_login(technician)
    oldest = submitted_email_order(coordinator=coordinator, commit=commit)
    for _ in range(25):
        OrderFactory(order_type=OrderType.EMAIL_ONLY, organization=coordinator.organization)
    url = reverse("orders:staff_list")
    client.get(url)  # totals cached
    with django_assert_num_queries(6) as first:
        page_one = client.get(url).content.decode()
    # The Next link carries where page 1 ended (keyset pagination); a page typed
    # by number alone reads its keys by OFFSET: both show the same rows.
    next_link = _next_link(page_one)
    assert "after=" in next_link
    with django_assert_num_queries(len(first.captured_queries)):
        page_two = client.get(url + next_link).content.decode()
    with django_assert_num_queries(len(first.captured_queries)):
        typed = client.get(url, {"page": 2}).content.decode()
    for html in (page_two, typed):
        assert "Page 2 of 2 · 26 in all" in html
        assert f">{oldest.number}</a>" in html
    assert f">{oldest.number}</a>" not in page_one
    step = oldest.actions.exclude(status__in=["done", "skipped"]).order_by("position").first()
    assert f"{step.position}. {step.name}" in page_two
    assert Order.objects.count() == 26


def test_next_and_previous_links_walk_every_order_once_under_a_filter(
    client, technician, coordinator
):
    """Keyset links over orders that share a creation time (ties broken by id)."""
    from django.utils import timezone

    moment = timezone.now()
    made = [
        OrderFactory(
            order_type=OrderType.EMAIL_ONLY,
            organization=coordinator.organization,
            created_at=moment if i % 2 else moment - timezone.timedelta(minutes=i),
        )
        for i in range(60)
    ]
    client.force_login(technician)
    url = reverse("orders:staff_list")
    pages, link = [], "?status=draft"
    while link:
        response = client.get(url + link)
        pages.append([row.number for row in response.context["orders"]])
        html = response.content.decode()
        link = _next_link(html) if 'rel="next"' in html else ""
    assert [len(p) for p in pages] == [25, 25, 10]
    seen = [number for page in pages for number in page]
    assert sorted(seen) == sorted(o.number for o in made)
    assert "status=draft" in _next_link(client.get(url + "?status=draft").content.decode())
    # Pages typed by number show the same rows (past the middle they are read
    # from the oldest end, the last one partly filled).
    for number, page in enumerate(pages, start=1):
        typed = client.get(url, {"status": "draft", "page": number}).context["orders"]
        assert [row.number for row in typed] == page

    # Previous from page 3 (reached by its links) shows page 2 again.
    third = client.get(url + "?status=draft").content.decode()
    third = client.get(url + _next_link(third)).content.decode()
    third = client.get(url + _next_link(third)).content.decode()
    previous = re.search(r'href="(\?[^"]+)" rel="prev"', third).group(1).replace("&amp;", "&")
    assert "before=" in previous
    assert [row.number for row in client.get(url + previous).context["orders"]] == pages[1]


def test_a_queue_steps_page_total_is_the_steps_count(client, technician, coordinator):
    """The step filter's total comes from the sidebar's step counts: the same number."""
    from orders.choices import ActionKind, ActionStatus, OrderStatus
    from orders.models import OrderAction, OrderActionTemplate, OrderQueue

    queue = OrderQueue.objects.create(name="Email desk", order_type=OrderType.EMAIL_ONLY)
    for p in (1, 2, 3):
        OrderActionTemplate.objects.create(
            queue=queue, position=p, name=f"Step {p}", kind=ActionKind.MANUAL
        )
    for i in range(30):
        order = OrderFactory(
            organization=coordinator.organization, queue=queue, status=OrderStatus.IN_PROGRESS
        )
        done = 1 if i < 27 else 2  # 27 wait on step 2, 3 on step 3
        OrderAction.objects.bulk_create(
            OrderAction(
                order=order,
                position=p,
                name=f"Step {p}",
                kind=ActionKind.MANUAL,
                status=ActionStatus.DONE if p <= done else ActionStatus.PENDING,
            )
            for p in (1, 2, 3)
        )
    client.force_login(technician)
    url = reverse("orders:staff_queue", args=[queue.pk])
    two = client.get(url, {"step": 2})
    assert "Page 1 of 2 · 27 in all" in two.content.decode()
    three = client.get(url, {"step": 3})
    assert len(three.context["orders"]) == 3
    assert [s["count"] for s in three.context["steps"]] == [0, 27, 3]
