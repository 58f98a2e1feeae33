"""API targets (run by `make bench`): every list endpoint answers page 1 and a deep
cursor over API_BENCH_ROWS rows (default 100,000) in under 30 ms median wall time
on PostgreSQL, with the same query count on both pages.

``API_BENCH_ROWS=20000 make bench`` runs a smaller size; docs/performance-api.md
records what was run.
"""

import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.pagination import Cursor

from accounts.models import Organization, SupportTeam, User
from accounts.roles import Role
from accounts.services import user_set_roles
from api.pagination import ApiCursorPagination
from api.services import api_key_create
from api.throttling import ApiRateThrottle
from orders.choices import OrderStatus, OrderType
from orders.models import Order
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import HardwareModel, RefreshConfig, RefreshTicket, System

ROWS = int(os.environ.get("API_BENCH_ROWS", "100000"))
TARGET_MS = 30
RUNS = 30


def _seed():
    org = Organization.objects.create(name="Bench org")
    model = HardwareModel.objects.create(manufacturer="Dell", name="Bench 1", platform="windows")
    team = SupportTeam.objects.create(name="Bench team")
    config = RefreshConfig.objects.create(name="Bench config", organization=org)
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.edu", full_name=f"Bench {i}", organization=org)
            for i in range(200)
        ]
    )
    systems = System.objects.bulk_create(
        [
            System(
                serial_number=f"A{i:07d}",
                name=f"WS-{i:07d}",
                hardware_model=model,
                platform="windows",
                current_user=users[i % len(users)],
            )
            for i in range(ROWS)
        ],
        batch_size=5000,
    )
    now = timezone.now()
    statuses = list(TicketStatus)
    RefreshTicket.objects.bulk_create(
        [
            RefreshTicket(
                existing_system=system,
                user_id=system.current_user_id,
                config=config,
                support_team=team,
                style=RefreshStyle.ON_PREM,
                status=statuses[i % len(statuses)],
                status_changed_at=now - dt.timedelta(minutes=i),
                created_at=now - dt.timedelta(minutes=i),
            )
            for i, system in enumerate(systems)
        ],
        batch_size=5000,
    )
    order_statuses = list(OrderStatus)
    Order.objects.bulk_create(
        [
            Order(
                number=1_000_000 + i,
                order_type=OrderType.EMAIL_ONLY,
                organization=org,
                submitted_by=users[i % len(users)],
                status=order_statuses[i % len(order_statuses)],
                new_full_name=f"New {i}",
                created_at=now - dt.timedelta(minutes=i),
            )
            for i in range(ROWS)
        ],
        batch_size=5000,
    )
    person = User.objects.create_user(email="bench.api@example.edu", organization=org)
    user_set_roles(
        user=person, roles=[Role.REFRESH_ADMINISTRATOR, Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN]
    )
    _, token = api_key_create(user=person, name="bench")
    return token


def _deep_cursor(url: str, model, filters: dict) -> str:
    """The cursor of the page ~90% of the way down the (filtered) list, ids descending."""
    ids = model.objects.filter(**filters).order_by("-id").values_list("id", flat=True)
    position = ids[int(ids.count() * 0.9)]
    paginator = ApiCursorPagination()
    paginator.base_url = url
    return paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(position)))


# transaction=True: committed rows, so VACUUM ANALYZE gives the planner real statistics.
@pytest.mark.django_db(transaction=True)
def test_api_lists_at_depth():
    started = time.perf_counter()
    token = _seed()
    print(f"\nseeded {ROWS} tickets, systems and orders in {time.perf_counter() - started:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    ApiRateThrottle.THROTTLE_RATES = {"api": "1000000/min"}
    handler = ClientHandler(enforce_csrf_checks=False)
    factory = RequestFactory(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")
    # (url, model, the filter the url applies): each list unfiltered and by status.
    lists = [
        ("/api/v1/refresh/tickets/", RefreshTicket, {}),
        ("/api/v1/refresh/tickets/?status=on_hold", RefreshTicket, {"status": "on_hold"}),
        ("/api/v1/refresh/systems/", System, {}),
        ("/api/v1/orders/", Order, {}),
        ("/api/v1/orders/?status=on_hold", Order, {"status": "on_hold"}),
    ]
    failures = []
    for url, model, filters in lists:
        deep = _deep_cursor("http://localhost" + url, model, filters)
        counts = []
        for label, target in (("page 1", url), ("deep cursor", deep)):
            handler(factory.get(target).environ)  # warm up
            with CaptureQueriesContext(connection) as ctx:
                response = handler(factory.get(target).environ)
            assert response.status_code == 200, response.content[:300]
            counts.append(len(ctx.captured_queries))
            wall, cpu = [], []
            for _ in range(RUNS):
                environ = factory.get(target).environ
                t0, c0 = time.perf_counter(), time.process_time()
                response = handler(environ)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            median = statistics.median(wall)
            print(
                f"{url} {label}: median {median:.1f} ms wall, "
                f"{statistics.median(cpu):.1f} ms CPU, {counts[-1]} queries ({connection.vendor})"
            )
            if median >= TARGET_MS:
                failures.append(f"{url} {label}: {median:.1f} ms")
        assert counts[0] == counts[1], f"{url}: query count differs with depth: {counts}"
    assert failures == []
