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
    with django_assert_num_queries(12) as first:
        page_one = client.get(url).content.decode()
    with django_assert_num_queries(len(first.captured_queries)):
        page_two = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of 2 · 26 in all" in page_two
    assert f">{oldest.number}</a>" in page_two
    assert f">{oldest.number}</a>" not in page_one
    step = oldest.actions.exclude(status__in=["done", "skipped"]).order_by("position").first()
    assert f"{step.position}. {step.name}" in page_two
    assert Order.objects.count() == 26
