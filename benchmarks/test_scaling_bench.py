"""Flat scaling (issue #17): page 1 and the common filters of the staff lists
cost at most 1.5x at ``BENCH_SCALE_ROWS`` rows (default 1,000,000) what they
cost at 10,000. Seeding a million tickets and orders takes long, so this runs
only when asked: ``BENCH_SCALE=1 make bench``.

The median is the web process's CPU time plus the database's time as seen by
the request (wall); both are printed, the wall ratio is asserted.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
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


@pytest.fixture(scope="module")
def medians(django_db_setup, django_db_blocker):
    """(medians at 10k, medians at ``BIG``): seeded and measured with committed rows
    (VACUUM ANALYZE needs them outside a transaction); flushed after the module."""
    with django_db_blocker.unblock():
        server = Server(staff_member())
        seed(tag="s10k", tickets=SMALL, orders=SMALL)
        small = {name: server.median_ms(url) for name, url in _cases().items()}
        seed(tag="s1m", tickets=BIG - SMALL, orders=BIG - SMALL)
        big = {name: server.median_ms(url) for name, url in _cases().items()}
        yield small, big
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_page_one_and_filters_scale_flat(medians):
    small, big = medians
    print(f"\n{'case':26} {'10k wall/CPU':>16} {f'{BIG:,} wall/CPU':>20} {'ratio':>6}")
    too_slow = []
    for name in small:
        ratio = big[name][0] / small[name][0]
        print(
            f"{name:26} {small[name][0]:7.1f}/{small[name][1]:5.1f}ms "
            f"{big[name][0]:9.1f}/{big[name][1]:5.1f}ms {ratio:6.2f}"
        )
        if ratio > RATIO:
            too_slow.append(f"{name}: {ratio:.2f}x")
    assert too_slow == []
