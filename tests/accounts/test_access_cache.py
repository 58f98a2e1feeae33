"""A person's permissions, roles and navigation are cached between their
requests (accounts/access.py) and read again as soon as their roles change."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role, role_group_name
from accounts.services import user_set_roles

pytestmark = pytest.mark.django_db

ORDER_MANAGER = reverse("orders:staff_list")
PORTAL = reverse("orders:portal_list")


def _nav(client) -> list[str]:
    """The labels of the header's navigation on the home page."""
    page = client.get("/").content.decode()
    block = re.search(r'<nav id="primary-nav".*?</nav>', page, re.S).group(0)
    return re.findall(r"<a [^>]*>([^<]+)</a>", block)


@pytest.fixture
def coordinator_in(client, make_user, organization):
    user = make_user(Role.COORDINATOR, organization=organization)
    client.force_login(user)
    return user


def test_a_warm_request_reads_only_the_session_and_the_user(client, make_user):
    technician = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)  # no organization to show
    client.force_login(technician)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    tables = [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in captured.captured_queries]
    assert tables == ["django_session", "accounts_user"]
    assert "Order manager" in _nav(client)


def test_new_roles_show_in_the_navigation_on_the_next_request(client, coordinator_in):
    assert "Orders" in _nav(client)
    assert "Order manager" not in _nav(client)  # served from the cache by now
    assert client.get(ORDER_MANAGER).status_code == 403

    user_set_roles(user=coordinator_in, roles=[Role.ORDERS_TECHNICIAN])

    nav = _nav(client)
    assert "Order manager" in nav
    assert "Orders" not in nav
    assert client.get(ORDER_MANAGER).status_code == 200
    assert client.get(PORTAL).status_code == 403


def test_a_removed_role_closes_its_pages_on_the_next_request(client, make_user):
    technician = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    client.force_login(technician)
    assert client.get(ORDER_MANAGER).status_code == 200
    assert "Order manager" in _nav(client)

    Group.objects.get(name=role_group_name(Role.ORDERS_TECHNICIAN)).user_set.remove(technician)

    assert client.get(ORDER_MANAGER).status_code == 403
    assert "Order manager" not in _nav(client)


def test_a_permission_taken_from_a_role_is_gone_for_its_members(client, make_user):
    technician = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    client.force_login(technician)
    assert client.get(ORDER_MANAGER).status_code == 200

    group = Group.objects.get(name=role_group_name(Role.ORDERS_TECHNICIAN))
    group.permissions.remove(Permission.objects.get(codename="work_order"))

    assert client.get(ORDER_MANAGER).status_code == 403
    assert "Order manager" not in _nav(client)


def test_a_permission_given_to_the_person_directly_counts_on_the_next_request(
    client, coordinator_in
):
    assert client.get(ORDER_MANAGER).status_code == 403
    coordinator_in.user_permissions.add(Permission.objects.get(codename="work_order"))
    assert client.get(ORDER_MANAGER).status_code == 200


def test_a_deleted_role_group_is_gone_on_the_next_request(client, make_user):
    technician = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    client.force_login(technician)
    assert client.get(ORDER_MANAGER).status_code == 200

    Group.objects.get(name=role_group_name(Role.ORDERS_TECHNICIAN)).delete()

    assert client.get(ORDER_MANAGER).status_code == 403


def test_the_admin_flag_shows_the_admin_link_on_the_next_request(client, coordinator_in):
    assert "Admin" not in _nav(client)
    coordinator_in.is_staff = True
    coordinator_in.save(update_fields=["is_staff"])
    assert "Admin" in _nav(client)


def test_two_people_never_share_an_entry(client, make_user, organization):
    technician = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    coordinator = make_user(Role.COORDINATOR, organization=organization)
    client.force_login(technician)
    assert "Order manager" in _nav(client)
    client.force_login(coordinator)
    assert "Order manager" not in _nav(client)
    assert client.get(ORDER_MANAGER).status_code == 403


def test_a_renamed_role_group_no_longer_gives_its_role(client, coordinator_in):
    assert "Orders" in _nav(client)
    group = Group.objects.get(name=role_group_name(Role.COORDINATOR))
    group.name = "Former coordinators"
    group.save()
    assert "Orders" not in _nav(client)
    assert client.get(PORTAL).status_code == 403
