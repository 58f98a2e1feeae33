"""Shared pieces of the size benchmarks: seeding through ``seed_scale``'s
functions and timing a page through the WSGI handler.

``BENCH_ROWS`` sets the size (default 100,000 tickets and 100,000 orders);
``BENCH_SCALE=1`` also runs the 10k-vs-1M scaling benchmark.
"""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.template import Template
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext, instrumented_test_render

from accounts.roles import Role
from accounts.scale import scale_people_seed
from accounts.services import user_set_roles
from orders.scale import scale_orders_seed
from refresh.scale import scale_tickets_seed

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
SMALL_ROWS = 1000
RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def seed(*, tag: str, tickets: int, orders: int) -> None:
    """Add ``tickets`` tickets and ``orders`` orders (COPY on PostgreSQL), then
    refresh the planner's statistics as autovacuum would."""
    people = scale_people_seed(tag=tag)
    if tickets:
        scale_tickets_seed(people=people, tag=tag, count=tickets)
    if orders:
        scale_orders_seed(people=people, tag=tag, count=orders)
    analyze()


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def staff_member():
    from accounts.models import User

    person = User.objects.create_user(email="bench.staff@example.edu", full_name="Bench Staff")
    user_set_roles(
        user=person,
        roles=[Role.REFRESH_ADMINISTRATOR, Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN],
    )
    return person


def _plain_render(self, context):
    return self.nodelist.render(context)


@contextmanager
def production_render():
    """Templates render as in production while inside.

    The test environment (pytest-django) replaces ``Template._render`` with
    ``instrumented_test_render``, which sends a ``template_rendered`` signal for
    every template and include (113 of them on an order's page); a server has
    no such instrumentation.
    """
    if Template._render is not instrumented_test_render:
        yield
        return
    Template._render = _plain_render
    try:
        yield
    finally:
        Template._render = instrumented_test_render


@dataclass
class Server:
    """Requests through the WSGI handler with every middleware, signed in as ``user``
    (what a server does: no test client's template capture, no test
    instrumentation of template rendering)."""

    user: object
    handler: ClientHandler = field(default_factory=lambda: ClientHandler(False))
    instrumented: bool = False

    def __post_init__(self):
        client = Client()
        client.force_login(self.user)
        cookie = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
        self.factory = RequestFactory(HTTP_COOKIE=cookie)

    def get(self, url: str):
        if self.instrumented:
            response = self.handler(self.factory.get(url).environ)
        else:
            with production_render():
                response = self.handler(self.factory.get(url).environ)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response

    def queries(self, url: str) -> int:
        """Queries of a warm request (the first one warms caches)."""
        self.get(url)
        with CaptureQueriesContext(connection) as ctx:
            self.get(url)
        return len(ctx.captured_queries)

    def median_ms(self, url: str, runs: int = RUNS) -> tuple[float, float]:
        """(median wall ms, median CPU ms of this process) over ``runs`` warm requests.

        On a shared machine the wall time swings with other processes' load; the
        CPU time is what the request cost the web process itself."""
        self.get(url)
        wall, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            self.get(url)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        return statistics.median(wall), statistics.median(cpu)


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
