"""What every page pays around its view (issue #17), run by `make bench`.

* A warm request of a signed-in person reads the session and the user before
  the view, and nothing else: their permissions, role names and navigation
  come from the cache (accounts/access.py). The home page (a small view inside
  ``base.html``) runs exactly those two queries, and no profiled page reads a
  permission or group table.
* The home page, i.e. the middleware chain, the context processors and
  ``base.html`` around a small view, costs under ``OVERHEAD_CPU_MS`` of the web
  process's CPU (median, warm).

Prints each page's median wall and CPU time and its queries; the figures are
in docs/performance.md ("Per-request overhead").
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_roles
from benchmarks.scale import Server, seed, staff_member
from orders.models import Order
from refresh.models import RefreshTicket

OVERHEAD_CPU_MS = 6.0
ROWS = 2000
ROLE_TABLES = ("auth_permission", "auth_group", "accounts_user_groups")


def _tables(server: Server, url: str) -> list[str]:
    """The first table of every query of a warm request to ``url``."""
    sqls: list[str] = []

    def record(execute, sql, params, many, context):
        sqls.append(sql)
        return execute(sql, params, many, context)

    server.get(url)
    with connection.execute_wrapper(record):
        server.get(url)
    return [m.group(1) if (m := re.search(r'FROM "(\w+)"', sql)) else sql[:40] for sql in sqls]


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """A staff member's and a coordinator's pages over ``ROWS`` tickets and orders
    (committed; flushed after the module)."""
    with django_db_blocker.unblock():
        seed(tag="overhead", tickets=ROWS, orders=ROWS)
        staff = Server(staff_member())
        latest = Order.objects.order_by("-pk").first()
        coordinator = User.objects.create_user(
            email="bench.coordinator@example.edu", organization=latest.organization
        )
        user_set_roles(user=coordinator, roles=[Role.COORDINATOR])
        ticket = RefreshTicket.objects.order_by("-pk").first()
        yield {
            "home": (staff, "/"),
            "refresh list": (staff, "/refresh/"),
            "order manager": (staff, "/orders/staff/"),
            "ticket detail": (staff, f"/refresh/tickets/{ticket.pk}/"),
            "order detail": (staff, f"/orders/staff/{latest.number}/"),
            "coordinator portal": (Server(coordinator), "/orders/"),
            "my appointments": (staff, "/orders/staff/appointments/"),
        }
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_a_warm_request_loads_the_session_and_the_user_and_no_roles(pages):
    print(f"\n{'page':20} {'wall':>9} {'CPU':>9} {'queries':>8}")
    reading_roles = {}
    for name, (server, url) in pages.items():
        tables = _tables(server, url)
        wall, cpu = server.median_ms(url)
        print(f"{name:20} {wall:7.1f}ms {cpu:7.1f}ms {len(tables):8d}")
        if any(table in ROLE_TABLES for table in tables):
            reading_roles[name] = tables
    staff, home = pages["home"]
    assert _tables(staff, home) == ["django_session", "accounts_user"]
    assert reading_roles == {}


@pytest.mark.django_db
def test_the_overhead_around_a_small_view_is_small(pages):
    server, url = pages["home"]
    wall, cpu = server.median_ms(url)
    print(
        f"\nhome page (middleware, context processors, base.html): {wall:.1f} ms wall, "
        f"{cpu:.1f} ms CPU"
    )
    assert cpu < OVERHEAD_CPU_MS
