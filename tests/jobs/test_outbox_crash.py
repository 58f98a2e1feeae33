"""Crash test of the effects outbox (issue 20): a real worker process on Redis is
killed with SIGKILL mid-batch and the broker queue is flushed; after a restart
and the sweeps every promised effect ran exactly once.

Counted in the stub tables: one ITSM ticket (with its four tasks) per refresh
ticket, and every no-customer ticket's day-1 appointment on its ITSM ticket.
The lease of the killed worker's effects is ended by hand (time passing: the
sweep would take them after 240 s) so the test runs in well under 2 minutes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from common.effects import effects_sweep
from common.models import Effect, EffectStatus
from config.celery import app as celery_app
from integrations.models import StubITSMTicket
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from refresh.services.jobs._common import ITSM_TASK_TITLES
from tests.worker import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
        reason="needs REDIS_URL and PostgreSQL (a worker process shares the test database)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
ON_PREM = 40
NO_CUSTOMER = 20


def _start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"]
        + ["--concurrency=2", "--loglevel=WARNING", "--without-heartbeat", "--without-gossip"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: SIGKILL reaches the children
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _test_database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def _kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def test_a_killed_worker_and_a_flushed_queue_lose_no_effect_and_repeat_none(flow):
    on_prem = [flow.new(style=RefreshStyle.ON_PREM) for _ in range(ON_PREM)]
    no_customer = [
        flow.to(TicketStatus.DELIVERY_SCHEDULED, style=RefreshStyle.NO_CUSTOMER)
        for _ in range(NO_CUSTOMER)
    ]
    ticket_ids = [t.pk for t in on_prem + no_customer]
    assert Effect.objects.filter(status=EffectStatus.PENDING).count() >= len(ticket_ids)

    worker = _start_worker()
    try:
        # Mid-batch: some ITSM tickets exist, most do not.
        wait_for(
            StubITSMTicket.objects.count,
            until=lambda n: n >= 10,
            timeout=60,
            what="the worker to make its first ITSM tickets",
        )
        _kill(worker)
        assert StubITSMTicket.objects.count() < len(ticket_ids)
        celery_app.control.purge()  # the broker loses every queued message

        # Time passes: the dead worker's leases end (the sweep would wait 240 s).
        Effect.objects.filter(status=EffectStatus.RUNNING).update(lease_until=timezone.now())
        Effect.objects.filter(status=EffectStatus.PENDING).update(
            created_at=timezone.now() - timezone.timedelta(minutes=1),
            next_attempt_at=timezone.now(),
        )
        worker = _start_worker()
        deadline = time.monotonic() + 150
        while Effect.objects.exclude(status=EffectStatus.DONE).exists():
            assert time.monotonic() < deadline, list(
                Effect.objects.exclude(status=EffectStatus.DONE).values(
                    "task_name", "status", "attempts", "last_error"
                )[:5]
            )
            # Beat's minute sweep, sped up; retries' backoff ended by hand as above.
            Effect.objects.filter(status=EffectStatus.PENDING, attempts__gt=0).update(
                next_attempt_at=timezone.now()
            )  # a backlog waits in the queue: the sweep does not send it twice
            effects_sweep()
            time.sleep(3)
    finally:
        if worker.poll() is None:
            _kill(worker)

    assert not Effect.objects.filter(status=EffectStatus.FAILED).exists()
    tickets = RefreshTicket.objects.filter(pk__in=ticket_ids)
    assert not tickets.filter(itsm_ticket_id="").exists()
    # Exactly one ITSM ticket per refresh ticket, each with its tasks once.
    assert StubITSMTicket.objects.count() == len(ticket_ids)
    linked = set(tickets.values_list("itsm_ticket_id", flat=True))
    assert linked == {str(pk) for pk in StubITSMTicket.objects.values_list("pk", flat=True)}
    task_counts = set(StubITSMTicket.objects.annotate(n=Count("tasks")).values_list("n", flat=True))
    assert task_counts == {len(ITSM_TASK_TITLES)}
    # Every no-customer ticket's appointment reached its ITSM ticket.
    pushed = StubITSMTicket.objects.filter(
        pk__in=[int(t.itsm_ticket_id) for t in tickets.filter(style=RefreshStyle.NO_CUSTOMER)],
        appointment_start__isnull=False,
    ).count()
    assert pushed == NO_CUSTOMER
