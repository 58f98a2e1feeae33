"""The staff ticket list at size (issue #17): the page count is cached with the
status counts (a warm page skips both COUNTs) and follows every write."""

import pytest
from django.urls import reverse

from refresh import services
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = pytest.mark.django_db


def _tickets(n, config):
    return [services.ticket_create(system=SystemFactory(), config=config) for _ in range(n)]


def test_page_count_is_cached_and_follows_new_tickets(client, admin, django_assert_num_queries):
    client.force_login(admin)
    config = RefreshConfigFactory()
    _tickets(51, config)
    url = reverse("refresh:ticket_list")
    page = client.get(url).content.decode()
    assert "Page 1 of 2 · 51 in all" in page
    # Warm: no COUNT or GROUP BY over every ticket, neither for the tabs nor for
    # the pages (the Problems tab counts one status through its index).
    with django_assert_num_queries(12) as warm:
        client.get(url, {"page": 2})
    whole_table = [
        q["sql"]
        for q in warm.captured_queries
        if ("COUNT(" in q["sql"].upper() and " WHERE " not in q["sql"].upper())
        or "GROUP BY" in q["sql"].upper()
    ]
    assert whole_table == []

    _tickets(50, config)
    assert "Page 1 of 3 · 101 in all" in client.get(url).content.decode()
