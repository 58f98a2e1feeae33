"""Refresh job targets (run by `make bench`):

* 10k ITSM existence lookups against the stub with 50 ms simulated latency
  finish in under 60 s: the sweep queues batches, a real Celery worker (threads
  pool) runs them concurrently, misses are written one UPDATE per batch
  (PostgreSQL + Redis only: ``DATABASE_URL`` and ``REDIS_URL``);
* slot discovery over 50k waiting tickets in under 10 s, with a fixed number of
  reads for all teams (only the advanced tickets cost queries of their own).
"""

import datetime as dt
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organization, SupportTeam, User
from config.celery import app as celery_app
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import HardwareModel, RefreshConfig, RefreshTicket, System
from refresh.services import jobs

LOOKUPS = 10_000
LOOKUP_TARGET_S = 60
DISCOVERY_TICKETS = 50_000
DISCOVERY_TARGET_S = 10
TEAMS = 20


def _seed(count: int, *, status: str, teams: int, with_replacement: bool):
    org = Organization.objects.create(name="Jobs bench org")
    model = HardwareModel.objects.create(manufacturer="Dell", name="Bench 7", platform="windows")
    team_rows = SupportTeam.objects.bulk_create(
        [SupportTeam(name=f"Jobs bench team {i}") for i in range(teams)]
    )
    config = RefreshConfig.objects.create(name="Jobs bench config", organization=org)
    users = User.objects.bulk_create(
        [User(email=f"jobs.bench{i}@example.edu", full_name=f"Bench {i}") for i in range(200)]
    )
    existing = System.objects.bulk_create(
        [
            System(
                serial_number=f"JE{i:07d}",
                name=f"JE-{i:07d}",
                hardware_model=model,
                platform="windows",
                current_user=users[i % len(users)],
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    replacements = (
        System.objects.bulk_create(
            [
                System(
                    serial_number=f"JR{i:07d}",
                    name=f"JR-{i:07d}",
                    hardware_model=model,
                    platform="windows",
                )
                for i in range(count)
            ],
            batch_size=5000,
        )
        if with_replacement
        else [None] * count
    )
    now = timezone.now()
    RefreshTicket.objects.bulk_create(
        [
            RefreshTicket(
                existing_system=system,
                replacement_system=replacements[i],
                user_id=system.current_user_id,
                config=config,
                support_team=team_rows[i % teams],
                style=RefreshStyle.ON_PREM,
                status=status,
                status_changed_at=now - dt.timedelta(minutes=count - i),
                created_at=now - dt.timedelta(minutes=count - i),
            )
            for i, system in enumerate(existing)
        ],
        batch_size=5000,
    )
    return team_rows, replacements


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)")
def test_10k_existence_lookups_with_50ms_latency_under_60_seconds(settings):
    from celery.contrib.testing.worker import start_worker

    from integrations.models import StubITSMAsset

    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL")
    settings.ITSM_STUB_LATENCY_MS = 50
    _, replacements = _seed(
        LOOKUPS, status=TicketStatus.PENDING_ITSM_EXISTENCE, teams=5, with_replacement=True
    )
    # One in ten replacements is already in the ITSM.
    StubITSMAsset.objects.bulk_create(
        [StubITSMAsset(serial_number=s.serial_number) for s in replacements[::10]]
    )
    waiting = RefreshTicket.objects.filter(
        status=TicketStatus.PENDING_ITSM_EXISTENCE, itsm_last_checked_at__isnull=True
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()  # nothing left over from an earlier run
    try:
        with start_worker(
            celery_app,
            pool="threads",
            concurrency=int(os.environ.get("JOBS_BENCH_CONCURRENCY", "40")),
            perform_ping_check=False,
            shutdown_timeout=30,
        ):
            started = time.perf_counter()
            queued = jobs.tickets_itsm_existence_sweep()
            while waiting.exists() and time.perf_counter() - started < LOOKUP_TARGET_S * 2:
                time.sleep(0.5)
            elapsed = time.perf_counter() - started
            # Let the effects of the advanced tickets (ITSM ticket creation) finish
            # before the worker stops, so no task outlives the test database.
            unlinked = RefreshTicket.objects.exclude(
                status=TicketStatus.PENDING_ITSM_EXISTENCE
            ).filter(itsm_ticket_id="")
            deadline = time.perf_counter() + 120
            while unlinked.exists() and time.perf_counter() < deadline:
                time.sleep(0.5)
    finally:
        celery_app.control.purge()
        celery_app.conf.task_always_eager = eager
    advanced = RefreshTicket.objects.exclude(status=TicketStatus.PENDING_ITSM_EXISTENCE).count()
    print(f"\n{queued} lookups (50 ms each) in {elapsed:.1f}s; {advanced} found and advanced")
    assert not waiting.exists()
    assert advanced == LOOKUPS // 10
    assert elapsed < LOOKUP_TARGET_S


@pytest.mark.django_db
def test_slot_discovery_over_50k_tickets_under_10_seconds():
    from scheduling.models import ScheduleSlot
    from scheduling.selectors import bookable_window

    celery_app.conf.task_always_eager = True
    teams, _ = _seed(
        DISCOVERY_TICKETS,
        status=TicketStatus.PENDING_SLOT_DISCOVERY,
        teams=TEAMS,
        with_replacement=False,
    )
    start, _ = bookable_window()
    ScheduleSlot.objects.bulk_create(
        [
            ScheduleSlot(
                team=team,
                start=start + dt.timedelta(days=1, hours=10),
                end=start + dt.timedelta(days=1, hours=11),
                capacity=5,
            )
            for team in teams
        ]
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        advanced = jobs.tickets_discover_slots()
    elapsed = time.perf_counter() - started
    print(
        f"\ndiscovery over {DISCOVERY_TICKETS} waiting tickets: {advanced} advanced "
        f"in {elapsed:.2f}s, {len(ctx.captured_queries)} queries"
    )
    assert advanced == TEAMS * 5
    # Oldest first: each team's advanced tickets are its five oldest.
    oldest = RefreshTicket.objects.filter(support_team=teams[0]).order_by("created_at")[:6]
    assert [t.status for t in oldest] == [TicketStatus.PENDING_CUSTOMER_SCHEDULING] * 5 + [
        TicketStatus.PENDING_SLOT_DISCOVERY
    ]
    # Reads are per job, not per ticket: 3 for all teams + a fixed number per advanced ticket.
    per_ticket = (len(ctx.captured_queries) - 3) / advanced
    assert per_ticket <= 12
    assert elapsed < DISCOVERY_TARGET_S
