"""Bulk data at production scale for benchmarks and load tests.

``manage.py seed_scale --tickets 100000 --orders 100000`` adds one organization
with 500 people and 5 support teams, that many refresh tickets (each with its
own system) and that many orders (each with its steps), built and written
(COPY) ``--batch`` rows at a time, the tickets in one transaction and the
orders in another (on a small or empty table the indexes and foreign keys are
rebuilt once at the end: ``common.bulk.bulk_load``), then refreshes the
planner's statistics.
Every run adds new rows under a fresh tag (``--tag`` names it), so it can be run
again to grow the data. No emails, audit rows or tasks: the rows exist to give
the lists, pages and jobs volume. Never run it against production.
"""

from __future__ import annotations

import re
import secrets
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.scale import scale_people_seed
from orders.scale import scale_orders_seed
from refresh.scale import scale_tickets_seed


class Command(BaseCommand):
    help = "Add N refresh tickets and N orders in bulk (for benchmarks and load tests)."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=0, help="refresh tickets to add")
        parser.add_argument("--orders", type=int, default=0, help="orders to add")
        parser.add_argument("--batch", type=int, default=5000, help="rows written per COPY")
        parser.add_argument("--tag", default="", help="lowercase letters/digits naming the rows")

    def handle(self, *args, tickets, orders, batch, tag, **options):
        if tickets < 0 or orders < 0 or batch < 1:
            raise CommandError("--tickets and --orders must be 0 or more, --batch at least 1.")
        tag = tag or secrets.token_hex(3)
        # Not str.islower(): an all-digit tag (a random one can be) has no case.
        if not re.fullmatch(r"[a-z0-9]{1,12}", tag):
            raise CommandError("--tag: up to 12 lowercase letters and digits.")
        started = time.perf_counter()
        people = scale_people_seed(tag=tag)

        def progress(label: str, total: int):
            step = max(total // 10, batch)

            def report(made: int):
                if made % step < batch or made == total:
                    elapsed = time.perf_counter() - started
                    self.stdout.write(f"  {label}: {made:,}/{total:,} ({elapsed:.1f}s)")

            return report

        if tickets:
            scale_tickets_seed(
                people=people,
                tag=tag,
                count=tickets,
                batch_size=batch,
                progress=progress("tickets", tickets),
            )
        if orders:
            scale_orders_seed(
                people=people,
                tag=tag,
                count=orders,
                batch_size=batch,
                progress=progress("orders", orders),
            )
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner uses the indexes at the new size.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {tickets:,} tickets and {orders:,} orders (tag {tag}) in {elapsed:.1f}s."
            )
        )
