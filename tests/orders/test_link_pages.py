"""Pages reached by an order link: dead links answer 410, guesses 429, nothing is cached."""

import pytest
from django.urls import reverse

from notifications.links import (
    FAILURES_PER_PREFIX_PER_MINUTE,
    access_link_issue,
    access_link_revoke,
)
from orders.choices import (
    LINK_PURPOSE_ACCOUNT_ACCESS,
    LINK_PURPOSE_ORDER_FINISH,
    LINK_PURPOSE_ORDER_SECRET,
)
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db

LINK_PAGES = [
    ("orders:enduser_link", LINK_PURPOSE_ORDER_SECRET),
    ("orders:account_access", LINK_PURPOSE_ACCOUNT_ACCESS),
    ("orders:finish_link", LINK_PURPOSE_ORDER_FINISH),
]


@pytest.fixture
def order(coordinator):
    return OrderFactory(organization=coordinator.organization, submitted_by=coordinator)


@pytest.mark.parametrize(("name", "purpose"), LINK_PAGES)
def test_unknown_and_used_links_answer_410_with_the_dead_link_page(client, order, name, purpose):
    unknown = client.get(reverse(name, args=["not-a-token"]))
    issued = access_link_issue(target=order, purpose=purpose, email="e@example.edu")
    access_link_revoke(link=issued.link, reason="Used.")
    used = client.get(reverse(name, args=[issued.token]))

    for response in (unknown, used):
        assert response.status_code == 410
        assert "This link does not work any more" in response.content.decode()
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("name", "purpose"), LINK_PAGES[:2])
def test_a_live_link_page_is_never_cached(client, order, name, purpose):
    issued = access_link_issue(target=order, purpose=purpose, email="e@example.edu")
    response = client.get(reverse(name, args=[issued.token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_guessing_is_answered_429_with_retry_after(client):
    url = reverse("orders:enduser_link", args=["guess"])
    # The same guessed token from one address: limited per address and prefix.
    for _ in range(FAILURES_PER_PREFIX_PER_MINUTE):
        assert client.get(url).status_code == 410
    response = client.get(url)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert "Too many attempts" in response.content.decode()
