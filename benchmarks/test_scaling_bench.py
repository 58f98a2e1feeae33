"""Flat scaling (issue #17): page 1 and the common filters of the staff lists
cost at most 1.5x at ``BENCH_SCALE_ROWS`` rows (default 1,000,000) what they
cost at 10,000. Seeding a million tickets and orders takes long (about 15
minutes on 2 shared cores), so this runs only when asked:
``BENCH_SCALE=1 make bench`` or the one file (docs/performance.md).

Each case prints its median wall time (asserted), the web process's CPU time,
its query count (the same at both sizes, asserted), and one request's total
database time and slowest statement. A case over 1.5x prints its three slowest
statements' ``EXPLAIN (ANALYZE, BUFFERS)`` at the large size, so the cause can
be read from the failure.
"""

from __future__ import annotations

import os
import time

import pytest
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from benchmarks.scale import Server, seed, staff_member

BIG = int(os.environ.get("BENCH_SCALE_ROWS", "1000000"))
SMALL = 10_000
RATIO = 1.5

pytestmark = pytest.mark.skipif(
    not os.environ.get("BENCH_SCALE"), reason="BENCH_SCALE=1 runs the 10k-vs-1M benchmark"
)


def _cases() -> dict[str, str]:
    tickets, orders = reverse("refresh:ticket_list"), reverse("orders:staff_list")
    return {
        "tickets: page 1": tickets,
        "tickets: status": f"{tickets}?{urlencode({'status': 'pending_customer'})}",
        "tickets: style": f"{tickets}?{urlencode({'style': 'remote'})}",
        "tickets: sort -changed": f"{tickets}?{urlencode({'sort': '-changed'})}",
        "orders: page 1": orders,
        "orders: submitted": f"{orders}?{urlencode({'status': 'submitted'})}",
        "orders: in progress": f"{orders}?{urlencode({'status': 'in_progress'})}",
    }


def _measure(server: Server) -> dict[str, dict]:
    """Per case: median wall and CPU ms, query count and the slowest statement."""
    found = {}
    for name, url in _cases().items():
        server.get(url)  # warm
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            server.get(url)
        queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
        wall, cpu = server.median_ms(url)
        found[name] = {
            "wall": wall,
            "cpu": cpu,
            "queries": len(queries),
            "db_ms": sum(float(q["time"]) for q in queries) * 1000,
            "slowest_sql": [q["sql"] for q in queries[:3]],
            "slowest_ms": float(queries[0]["time"]) * 1000,
        }
    return found


def _explain_analyze(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture(scope="module")
def medians(django_db_setup, django_db_blocker):
    """(figures at 10k, figures at ``BIG``, seconds to seed the rest): seeded and
    measured with committed rows (VACUUM ANALYZE needs them outside a
    transaction); flushed after the module."""
    with django_db_blocker.unblock():
        server = Server(staff_member())
        seed(tag="s10k", tickets=SMALL, orders=SMALL)
        small = _measure(server)
        started = time.perf_counter()
        seed(tag="s1m", tickets=BIG - SMALL, orders=BIG - SMALL)
        seconds = time.perf_counter() - started
        big = _measure(server)
        # The three slowest statements of each case over the ratio (one request's
        # timings are noisy on a shared machine: the first may be a hiccup).
        explained = {
            name: [(sql, _explain_analyze(sql)) for sql in big[name]["slowest_sql"]]
            for name in big
            if big[name]["wall"] / small[name]["wall"] > RATIO
        }
        yield small, big, seconds, explained
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_page_one_and_filters_scale_flat(medians):
    small, big, seconds, explained = medians
    print(f"\nseeded {BIG - SMALL:,} more tickets and orders in {seconds:.0f}s")
    print(
        f"{'case':24} {'10k wall/CPU':>15} {f'{BIG:,} wall/CPU':>20} {'ratio':>6} "
        f"{'CPU ratio':>9} {'queries':>8}  database / slowest statement 10k -> big"
    )
    too_slow, drift = [], []
    for name in small:
        s, b = small[name], big[name]
        ratio = b["wall"] / s["wall"]
        print(
            f"{name:24} {s['wall']:7.1f}/{s['cpu']:5.1f}ms {b['wall']:11.1f}/{b['cpu']:5.1f}ms "
            f"{ratio:6.2f} {b['cpu'] / s['cpu']:9.2f} {s['queries']:3d}/{b['queries']:<4d}"
            f"  {s['db_ms']:.0f}/{s['slowest_ms']:.0f} -> {b['db_ms']:.0f}/{b['slowest_ms']:.0f} ms"
        )
        if ratio > RATIO:
            too_slow.append(f"{name}: {ratio:.2f}x")
        if s["queries"] != b["queries"]:
            drift.append(f"{name}: {s['queries']} queries at 10k, {b['queries']} at {BIG:,}")
    for name, plans in explained.items():
        for sql, plan in plans:
            print(f"\n{name}: one of its slowest statements at {BIG:,}\n{sql}\n{plan}")
    assert drift == []
    assert too_slow == []
