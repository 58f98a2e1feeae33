"""The customer jobs at size (issue #17 item 5), run by `make bench`:

over ``BENCH_ROWS`` tickets (default 100,000; a few hundred of them due), each
of the invite, reminder and wizard-deadline jobs

* handles every due ticket (up to its batch) and leaves the others alone;
* costs a fixed number of queries per due ticket, whatever the table's size
  (the same at 1,000 tickets as at 100,000);
* runs no statement that reads the tickets table sequentially: every distinct
  statement the job ran against it is EXPLAINed (PostgreSQL only);
* and prints its query count and time.

The selectors' own plans are checked in test_lists_scale_bench.py; this runs the
jobs themselves, emails and audit rows included (tasks eager, no broker).
"""

from __future__ import annotations

import re
import time

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks.scale import ROWS, SMALL_ROWS, seed
from config.celery import app as celery_app
from refresh.models import RefreshTicket
from refresh.selectors import jobs as due
from refresh.services.jobs import customer

# The tickets table itself (refresh_refreshticketevent and the like are other tables).
TICKETS_SEQ_SCAN = re.compile(r"Seq Scan on refresh_refreshticket\s")
PER_TICKET_LIMIT = 80  # lock, claim, transition, audit, link, email, ITSM ticket, effects


def _jobs():
    """(name, the due counts of each of its selectors, the job); each selector
    is handled up to the job's batch per run."""
    return [
        ("invites", lambda: [due.tickets_due_invite().count()], customer.tickets_send_due_invites),
        (
            "reminders",
            lambda: [due.tickets_due_reminder(which=w).count() for w in (1, 2)],
            customer.tickets_send_due_reminders,
        ),
        (
            "wizard deadlines",
            lambda: [due.tickets_past_wizard_deadline().count()],
            customer.tickets_expire_past_wizard_deadline,
        ),
    ]


def _shape(sql: str) -> str:
    """A statement with its literals blanked, to EXPLAIN each kind once."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _run(job) -> tuple[int, list[dict], float]:
    """(what the job returned, one example of each statement shape it ran with
    its count, seconds). Counted through an execute wrapper: Django's query
    log keeps only the last 9,000 statements."""
    shapes: dict[str, dict] = {}

    def count(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        cursor = context["cursor"]
        query = getattr(cursor, "query", None)
        text = query.decode() if isinstance(query, bytes) else (query or sql)
        entry = shapes.setdefault(_shape(text), {"sql": text, "count": 0})
        entry["count"] += 1
        return result

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        handled = job()
    return handled, list(shapes.values()), time.perf_counter() - started


def _sequential_scans(shapes: list[dict]) -> list[str]:
    """Statements among ``shapes`` whose plan reads the tickets table sequentially."""
    if connection.vendor != "postgresql":
        return []
    found = []
    for shape in shapes:
        sql = shape["sql"]
        if "refresh_refreshticket" not in sql or not sql.lstrip().upper().startswith(
            ("SELECT", "UPDATE", "DELETE")
        ):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        if TICKETS_SEQ_SCAN.search(plan):
            found.append(f"{sql}\n{plan}")
    return found


@pytest.fixture(scope="module")
def figures(django_db_setup, django_db_blocker):
    """Runs each job at 1,000 tickets and again at ``ROWS`` (fresh due tickets
    each time); rows committed (VACUUM ANALYZE) and flushed after the module."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock():
            seed(tag="jsmall", tickets=SMALL_ROWS, orders=0)
            small = {name: (sum(count()), *_run(job)) for name, count, job in _jobs()}
            call_command("flush", interactive=False, verbosity=0)
            seed(tag="jbig", tickets=ROWS, orders=0)
            big = {}
            for name, count, job in _jobs():
                before = count()
                handled, shapes, seconds = _run(job)
                left = sum(count())
                expected_left = sum(max(n - customer.BATCH, 0) for n in before)
                big[name] = (sum(before), handled, shapes, seconds, (left, expected_left))
                big[name] += (_sequential_scans(shapes),)
            yield small, big
            call_command("flush", interactive=False, verbosity=0)
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.mark.django_db
def test_customer_jobs_touch_only_due_tickets_in_bounded_queries(figures):
    small, big = figures
    total = RefreshTicket.objects.count()
    print(f"\n{'job':18} {'due':>5} {'handled':>8} {'queries':>8} {'per ticket':>10} {'time':>8}")
    per_ticket = {}
    for name, (due_before, handled, shapes, seconds, left, scans) in big.items():
        queries = sum(shape["count"] for shape in shapes)
        per_ticket[name] = queries / max(due_before, 1)
        small_due, _, small_shapes, _ = small[name]
        small_queries = sum(shape["count"] for shape in small_shapes)
        print(
            f"{name:18} {due_before:5d} {handled:8d} {queries:8d} "
            f"{per_ticket[name]:10.1f} {seconds:7.2f}s  (1k tickets: {small_due} due, "
            f"{small_queries / max(small_due, 1):.1f} per ticket)  of {total:,} tickets"
        )
        if per_ticket[name] > PER_TICKET_LIMIT:
            for shape in sorted(shapes, key=lambda s: -s["count"])[:8]:
                print(f"    {shape['count']:6d} x {shape['sql'][:110]}")
        assert due_before > 0, f"{name}: the seed made none due"
        assert left[0] == left[1], f"{name}: {left[0]} still due, {left[1]} expected"
        assert per_ticket[name] <= PER_TICKET_LIMIT, name
        if small_due:
            # The same cost per ticket at 1,000 and at ROWS tickets: nothing grows
            # with the table (a little slack: one batch query is shared by fewer).
            assert abs(per_ticket[name] - small_queries / small_due) <= 2, name
        assert scans == [], "\n\n".join(scans)
