"""The coordinator's order list at size (issue #17): keyset Next links walk every
order the coordinator may see exactly once, and its total follows each write."""

import re

import pytest
from django.urls import reverse

from accounts.choices import PortalVisibility
from orders.choices import OrderType
from orders.services import order_create_draft
from tests.accounts.factories import OrganizationFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _next(html: str) -> str:
    found = re.search(r'href="(\?[^"]+)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else ""


def test_next_links_walk_every_visible_order_once(coordinator_client, coordinator, make_user):
    organization = coordinator.organization
    sub = OrganizationFactory(parent=organization, portal_visibility=PortalVisibility.OWN)
    colleague = make_user(organization=organization)
    mine = [OrderFactory(organization=organization, submitted_by=coordinator) for _ in range(30)]
    theirs = [OrderFactory(organization=organization, submitted_by=colleague) for _ in range(20)]
    # "Own requests only" sub-organization: the coordinator's own orders there, no one else's.
    mine += [OrderFactory(organization=sub, submitted_by=coordinator) for _ in range(3)]
    hidden = [OrderFactory(organization=sub, submitted_by=colleague) for _ in range(2)]
    hidden += [OrderFactory(organization=OrganizationFactory()) for _ in range(2)]

    url, link, seen = reverse("orders:portal_list"), "?", []
    while link:
        response = coordinator_client.get(url + link)
        seen += [row.number for row in response.context["orders"]]
        link = _next(response.content.decode())
    assert sorted(seen) == sorted(o.number for o in mine + theirs)
    assert not {o.number for o in hidden} & set(seen)


def test_total_follows_a_new_order(coordinator_client, coordinator):
    url = reverse("orders:portal_list")
    for _ in range(26):
        OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    assert "Page 1 of 2 · 26 in all" in coordinator_client.get(url).content.decode()
    order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"new_full_name": "Dee Draft"},
    )
    assert "Page 1 of 2 · 27 in all" in coordinator_client.get(url).content.decode()
