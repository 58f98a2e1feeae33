"""The other staff lists at size (issue #17 item 1), run by `make bench`:
approvals, refresh batches (the list and a batch's ticket table), the outbox,
the ITSM stub page, the effects list and the slot calendar.

Over ``BENCH_ROWS`` rows of each list's own table (default 100,000 emails,
effects, stub tickets, tickets waiting for approval in one batch, slots) every
case (page 1, each filter, a deep page) answers in under 30 ms median, warm,
and runs the same number of queries as at 1,000 rows. Each case prints its
wall and CPU median and query count; docs/performance.md has the figures.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import SupportTeam, User
from accounts.roles import Role
from accounts.scale import scale_people_seed
from accounts.services import user_set_roles
from benchmarks import other_lists_seed as seeds
from benchmarks.scale import ROWS, SMALL_ROWS, Server, analyze, staff_member
from refresh.models import RefreshBatch

TARGET_MS = 30
PAGE = 50
# BENCH_ONLY=outbox measures only the cases whose name contains "outbox";
# BENCH_ONLY=outbox,approvals those of either.
ONLY = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]


def _seed(tag: str, count: int, approver: User) -> None:
    people = scale_people_seed(tag=tag, people=200, teams=3)
    seeds.emails_seed(people=people, tag=tag, count=count)
    seeds.effects_seed(tag=tag, count=count)
    seeds.stub_tickets_seed(tag=tag, count=count)
    seeds.approval_batch_seed(people=people, tag=tag, count=count, approver=approver)
    seeds.slots_seed(tag=tag, count=count)
    analyze()


def _deep(total: int, share: float = 1.0) -> int:
    """A page near the end of a list of ``total * share`` rows."""
    return max(2, int(total * share * 0.9) // PAGE)


def _cases(tag: str, total: int) -> dict[str, tuple[str, str]]:
    """Case name -> (who, url) against the rows of seed tag ``tag``."""
    batch = RefreshBatch.objects.get(name=f"Bench {tag} batch")
    outbox, effects = reverse("notifications:outbox"), reverse("integrations:effects")
    stub, approvals = reverse("integrations:itsm_stub"), reverse("refresh:approval_list")
    batches = reverse("refresh:batch_list")
    detail = reverse("refresh:batch_detail", args=[batch.pk])
    calendar = reverse("scheduling:calendar")
    slot_team = SupportTeam.objects.filter(name=f"Bench {tag} slots 03").get()
    week = (timezone.localdate() + dt.timedelta(days=28)).isoformat()  # seeded at 1k too

    def url(base, **params):
        return f"{base}?{urlencode(params)}" if params else base

    return {
        "outbox: page 1": ("staff", url(outbox)),
        "outbox: deep page": ("staff", url(outbox, page=_deep(total))),
        "outbox: status failed": ("staff", url(outbox, status="failed")),
        "outbox: status failed, deep": (
            "staff",
            url(outbox, status="failed", page=_deep(total, 0.1)),
        ),
        "outbox: search": ("staff", url(outbox, q=f"{tag} 00001")),
        "outbox: search, every email": ("staff", url(outbox, q="computer")),
        "effects: page 1": ("staff", url(effects)),
        "effects: deep page": ("staff", url(effects, page=_deep(total, 0.2))),
        "itsm stub: page 1": ("staff", url(stub)),
        "itsm stub: deep page": ("staff", url(stub, page=_deep(total))),
        "itsm stub: search": ("staff", url(stub, q=f"{tag} 00001")),
        "itsm stub: search, every ticket": ("staff", url(stub, q="refresh")),
        "approvals: page 1": ("approver", url(approvals)),
        "approvals: deep page": ("approver", url(approvals, page=_deep(total))),
        "approvals: superuser": ("superuser", url(approvals)),
        "batches: page 1": ("staff", url(batches)),
        "batches: deep page": ("staff", url(batches, page=_deep(total, 0.01))),
        "batch tickets: page 1": ("staff", url(detail)),
        "batch tickets: deep page": ("staff", url(detail, page=_deep(total))),
        "slots: week": ("staff", url(calendar, view="week", date=week)),
        "slots: week, one team": (
            "staff",
            url(calendar, view="week", date=week, team=slot_team.pk),
        ),
        "slots: month": ("staff", url(calendar, view="month", date=week)),
        "slots: month, one team": (
            "staff",
            url(calendar, view="month", date=week, team=slot_team.pk),
        ),
        "slot preferences": ("staff", url(reverse("scheduling:preference_list"))),
    }


def _people() -> dict[str, User]:
    staff = staff_member()
    user_set_roles(
        user=staff,
        roles=[
            Role.REFRESH_ADMINISTRATOR,
            Role.REFRESH_MANAGER,
            Role.SCHEDULE_SLOT_ADMIN,
            Role.ORDERS_MANAGER,
            Role.ORDERS_TECHNICIAN,
        ],
    )
    approver = User.objects.create_user(email="bench.approver@example.edu", full_name="Approver")
    user_set_roles(user=approver, roles=[Role.APPROVER])
    superuser = User.objects.create_superuser(email="bench.root@example.edu", password="x")
    return {"staff": staff, "approver": approver, "superuser": superuser}


@pytest.fixture(scope="module")
def sizes(django_db_setup, django_db_blocker):
    """Seeds 1,000 rows of each list, counts each case's queries, grows to
    ``ROWS``; the rows are committed (VACUUM ANALYZE) and flushed after."""
    with django_db_blocker.unblock():
        people = _people()
        servers = {who: Server(user) for who, user in people.items()}
        _seed("small", SMALL_ROWS, people["approver"])
        small = {
            name: servers[who].queries(u) for name, (who, u) in _cases("small", SMALL_ROWS).items()
        }
        _seed("big", ROWS - SMALL_ROWS, people["approver"])
        yield servers, small
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_other_staff_lists_are_fast_and_flat(sizes):
    servers, small = sizes
    print(f"\n{'case':34} {'wall':>9} {'CPU':>9} {'queries':>8}  ({ROWS:,} rows each)")
    slow, drift = [], []
    for name, (who, url) in _cases("big", ROWS - SMALL_ROWS).items():
        if ONLY and not any(part in name for part in ONLY):
            continue
        queries = servers[who].queries(url)
        median, cpu = servers[who].median_ms(url)
        print(f"{name:34} {median:7.1f}ms {cpu:7.1f}ms {queries:8d}  (1k: {small[name]})")
        if median >= TARGET_MS:
            slow.append(f"{name}: {median:.1f} ms")
        if queries != small[name]:
            drift.append(f"{name}: {small[name]} queries at 1k, {queries} at {ROWS:,}")
    assert drift == []
    assert slow == []
