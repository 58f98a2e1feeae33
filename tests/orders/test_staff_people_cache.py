"""The people who work orders come from the cache on the staff order page, and
the page offers the right people after anyone joins, leaves, is renamed or is
deactivated (``orders.selectors.staff_people``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_set_roles
from orders.selectors import orders_staff_people
from orders.selectors.staff_people import STAFF_PEOPLE_KEY
from tests.orders.staff_helpers import submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered_people(client, technician, coordinator, queues, directory, commit):
    order = submitted_email_order(coordinator=coordinator, commit=commit)
    client.force_login(technician)
    url = reverse("orders:staff_detail", args=[order.number])

    def offered() -> str:
        html = client.get(url).content.decode()
        # The "Assign order to" picker lists the people who work orders.
        start = html.index('name="assign_order_to"')
        return html[start : html.index("</select>", start)]

    return offered


def _option(person) -> str:
    return f'<option value="{person.pk}">{person.display_name}</option>'


def test_someone_given_the_orders_role_is_offered_on_the_next_view(offered_people, make_user):
    newcomer = make_user(full_name="Nadia Newcomer")
    assert _option(newcomer) not in offered_people()
    assert cache.get(STAFF_PEOPLE_KEY) is not None  # the page cached the list

    user_set_roles(user=newcomer, roles=[Role.ORDERS_TECHNICIAN])

    assert _option(newcomer) in offered_people()


def test_renamed_deactivated_and_removed_people_follow_at_once(offered_people, make_user):
    ana = make_user(Role.ORDERS_TECHNICIAN, full_name="Ana Before")
    ben = make_user(Role.ORDERS_TECHNICIAN, full_name="Ben Staff")
    cy = make_user(Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN, full_name="Cy Staff")
    offered = offered_people()
    assert all(_option(p) in offered for p in (ana, ben, cy))

    ana.full_name = "Ana After"
    ana.save()
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    user_set_roles(user=cy, roles=[])

    offered = offered_people()
    assert _option(ana) in offered
    assert "Ana Before" not in offered
    assert _option(ben) not in offered
    assert _option(cy) not in offered


def test_a_sign_in_keeps_the_cached_list(offered_people, technician):
    offered_people()
    technician.save(update_fields=["last_login"])
    assert cache.get(STAFF_PEOPLE_KEY) is not None


def test_the_list_is_forgotten_again_when_the_change_commits(
    make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        person = make_user(full_name="Dana Joiner")
        user_set_roles(user=person, roles=[Role.ORDERS_TECHNICIAN])
        # A page read between the change and its commit caches what it saw then.
        assert person in orders_staff_people()
        cache.set(STAFF_PEOPLE_KEY, [], 60)
    for callback in callbacks:
        callback()
    assert cache.get(STAFF_PEOPLE_KEY) is None
    assert person in orders_staff_people()


def test_with_the_cache_down_roles_still_change_and_the_page_reads_the_database(
    offered_people, make_user, monkeypatch
):
    newcomer = make_user(full_name="Nadia Newcomer")

    def refuse(*args, **kwargs):
        raise ConnectionError("cache is down")

    for name in ("get", "set", "delete"):
        monkeypatch.setattr(cache, name, refuse)
    user_set_roles(user=newcomer, roles=[Role.ORDERS_TECHNICIAN])  # commits, no error
    assert _option(newcomer) in offered_people()
