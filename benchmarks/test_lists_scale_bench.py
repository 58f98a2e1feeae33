"""Staff lists at size (issue #17), run by `make bench`:

* every case below (page 1, each filter, each sort, a deep page) of the refresh
  ticket list and the order manager answers in under 30 ms median server time,
  warm, over ``BENCH_ROWS`` tickets and orders (default 100,000 each);
* each case runs the same number of queries at 1,000 rows and at full size;
* the coordinator portal's order list (page 1, status tabs, a deep page by its
  Next link) the same, for a coordinator of the big seeded organization;
* the customer jobs (invites, reminders, wizard deadlines) read only the due
  tickets through an index: no sequential scan of the tickets table.

Each case prints its median and query count. PostgreSQL when ``DATABASE_URL``
points at it (the targets are meant for it); docs/performance.md has the figures.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import SupportTeam
from benchmarks.scale import ROWS, SMALL_ROWS, Server, explain, seed, staff_member
from orders.models import Order, OrderQueue
from refresh.models import RefreshConfig, RefreshTicket

TARGET_MS = 30
REFRESH_PAGE, ORDERS_PAGE = 50, 25


def _cases(tag: str, total: int) -> dict[str, str]:
    """Every case's URL against the rows of seed tag ``tag`` (``total`` of each)."""
    team = SupportTeam.objects.filter(name__startswith=f"Scale {tag} team").order_by("pk").first()
    config = RefreshConfig.objects.get(name=f"Scale {tag} config")
    queue = OrderQueue.objects.get(name=f"Scale {tag} queue")
    tickets, orders = reverse("refresh:ticket_list"), reverse("orders:staff_list")

    def url(base, **params):
        return f"{base}?{urlencode(params)}" if params else base

    cases = {
        "tickets: page 1": url(tickets),
        "tickets: deep page": url(tickets, page=max(2, int(total * 0.9) // REFRESH_PAGE)),
        # The costliest OFFSET: past the middle a page is taken from the other end.
        "tickets: middle page": url(tickets, page=max(2, total // 2 // REFRESH_PAGE)),
        "tickets: deep page, sort user": url(
            tickets, sort="user", page=max(2, int(total * 0.9) // REFRESH_PAGE)
        ),
        "tickets: status": url(tickets, status="pending_customer"),
        "tickets: team": url(tickets, team=team.pk),
        "tickets: config": url(tickets, config=config.pk),
        "tickets: style": url(tickets, style="remote"),
        "tickets: problems tab": url(tickets, focus="problems"),
        "tickets: status + team, page 3": url(tickets, status="complete", team=team.pk, page=3),
        "orders: page 1": url(orders),
        "orders: deep page": url(orders, page=max(2, int(total * 0.9) // ORDERS_PAGE)),
        "orders: deep page, Next link": _orders_next_link(orders, tag, int(total * 0.9)),
        "orders: submitted": url(orders, status="submitted"),
        "orders: in progress, page 5": url(orders, status="in_progress", page=5),
        "orders: completed": url(orders, status="completed"),
        "orders: queue": url(orders, queue=queue.pk),
        "orders: mine": url(orders, mine="on"),
        "orders: queue page": url(reverse("orders:staff_queue", args=[queue.pk])),
        "orders: queue page, step 2": url(reverse("orders:staff_queue", args=[queue.pk]), step=2),
    }
    for sort in ("created", "-created", "status", "serial", "-serial", "user", "team"):
        cases[f"tickets: sort {sort}"] = url(tickets, sort=sort)
    for sort in ("changed", "-changed"):
        cases[f"tickets: sort {sort}"] = url(tickets, sort=sort)
    return cases


def _orders_next_link(base: str, tag: str, shown: int) -> str:
    """The deep page the order lists' Next link leads to (it carries the sort key of
    the row before: keyset pagination), ``shown`` rows into tag ``tag``'s orders."""
    from orders.selectors.paging import cursor

    edge = (
        Order.objects.filter(organization__name=f"Scale {tag}")
        .order_by("-created_at", "-id")
        .values("pk", "created_at")[shown - 1]
    )
    page = shown // ORDERS_PAGE + 1
    return f"{base}?{urlencode({'page': page, 'after': cursor(edge)})}"


def _portal_cases(tag: str, total: int) -> dict[str, str]:
    """The coordinator portal's cases for a coordinator of tag ``tag``'s organization."""
    portal = reverse("orders:portal_list")
    return {
        "portal: page 1": portal,
        "portal: submitted": f"{portal}?status=submitted",
        "portal: completed, page 5": f"{portal}?status=completed&page=5",
        "portal: deep page, Next link": _orders_next_link(portal, tag, int(total * 0.9)),
    }


def _coordinator(tag: str):
    from accounts.models import Organization, User
    from accounts.roles import Role
    from accounts.services import user_set_roles

    person = User.objects.create_user(
        email=f"bench.coordinator.{tag}@example.edu",
        full_name=f"Bench Coordinator {tag}",
        organization=Organization.objects.get(name=f"Scale {tag}"),
    )
    user_set_roles(user=person, roles=[Role.COORDINATOR])
    return person


@pytest.fixture(scope="module")
def sizes(django_db_setup, django_db_blocker):
    """Seeds 1,000 rows, counts each case's queries, grows to ``ROWS``; the rows
    are committed (VACUUM ANALYZE needs it) and flushed after the module."""
    with django_db_blocker.unblock():
        seed(tag="small", tickets=SMALL_ROWS, orders=SMALL_ROWS)
        server = Server(staff_member())
        small = {name: server.queries(u) for name, u in _cases("small", SMALL_ROWS).items()}
        seed(tag="big", tickets=ROWS - SMALL_ROWS, orders=ROWS - SMALL_ROWS)
        yield server, small
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_every_staff_list_case_is_fast_and_flat(sizes):
    server, small = sizes
    print(f"\n{'case':34} {'wall':>9} {'CPU':>9} {'queries':>8}  ({ROWS:,} tickets and orders)")
    slow, drift = [], []
    for name, url in _cases("big", ROWS - SMALL_ROWS).items():
        queries = server.queries(url)
        median, cpu = server.median_ms(url)
        print(f"{name:34} {median:7.1f}ms {cpu:7.1f}ms {queries:8d}  (1k: {small[name]})")
        if median >= TARGET_MS:
            slow.append(f"{name}: {median:.1f} ms")
        if queries != small[name]:
            drift.append(f"{name}: {small[name]} queries at 1k, {queries} at {ROWS:,}")
    assert drift == []
    assert slow == []


@pytest.mark.django_db
def test_coordinator_portal_list_is_fast_and_flat(sizes):
    """The coordinator of the big organization (``BENCH_ROWS`` orders) against the
    coordinator of the 1,000-order one: under 30 ms, the same queries."""
    small, big = Server(_coordinator("small")), Server(_coordinator("big"))
    small_cases = _portal_cases("small", SMALL_ROWS)
    print(f"\n{'case':34} {'wall':>9} {'CPU':>9} {'queries':>8}  ({ROWS - SMALL_ROWS:,} orders)")
    slow, drift = [], []
    for name, url in _portal_cases("big", ROWS - SMALL_ROWS).items():
        few = small.queries(small_cases[name])
        queries = big.queries(url)
        median, cpu = big.median_ms(url)
        print(f"{name:34} {median:7.1f}ms {cpu:7.1f}ms {queries:8d}  (1k: {few})")
        if median >= TARGET_MS:
            slow.append(f"{name}: {median:.1f} ms")
        if queries != few:
            drift.append(f"{name}: {few} queries at 1k, {queries} at {ROWS:,}")
    assert drift == []
    assert slow == []


@pytest.mark.django_db
def test_customer_jobs_read_only_due_tickets_through_an_index(sizes):
    from refresh.selectors import jobs

    print()
    for name, queryset in {
        "invites": jobs.tickets_due_invite(),
        "first reminders": jobs.tickets_due_reminder(which=1),
        "second reminders": jobs.tickets_due_reminder(which=2),
        "wizard deadlines": jobs.tickets_past_wizard_deadline(),
    }.items():
        plan = explain(queryset)
        due = queryset.count()
        print(f"{name}: {due} due of {RefreshTicket.objects.count():,}; {plan.splitlines()[-1]}")
        assert due > 0  # seed_scale makes some waiting tickets due
        assert "Seq Scan on refresh_refreshticket" not in plan, plan
        assert "_due_idx" in plan, plan
