"""Crash test of the effects outbox (issue 20): a real worker process on Redis is
killed with SIGKILL mid-batch (twice: once among the ITSM effects, once among
the emails) and the broker queue is flushed once; after restarts and the sweeps
every promised effect ran exactly once.

Counted in the stub tables, the audits and the outbound log: one ITSM ticket
(with its four tasks) per refresh ticket; every no-customer ticket's day-1
appointment on its ITSM ticket; every automated order action done once (one
"done" audit each, the workstation renamed once, the account deactivated);
every email handed to the provider once, or twice only as the documented
at-least-once case (a worker killed between the provider's acceptance and the
"sent" row: the email was claimed more than once and no provider id was
recorded). The leases of the killed worker's work are ended by hand (time
passing: the sweeps would take them after 240 s / 90 s), so the test runs in
about two minutes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accounts.roles import Role
from common.effects import effects_sweep
from common.models import Effect, EffectStatus
from config.celery import app as celery_app
from integrations.models import StubDirectoryAccount, StubDirectoryComputer, StubITSMTicket
from notifications.choices import EmailStatus
from notifications.models import OutboundEmail
from notifications.services import emails_deliver_pending
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.models import Order, OrderAction, OrderAudit
from orders.services import order_create_draft, order_queues_ensure_defaults, order_submit
from orders.tasks import order_actions_sweep_task
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
ORDERS = 30
CONCURRENCY = 2


def _start_worker(record_file: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "tests.notifications.failing_backend.RecordingProviderBackend",
        "EMAIL_RECORD_FILE": str(record_file),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"]
        + [f"--concurrency={CONCURRENCY}", "--loglevel=WARNING"]
        + ["--without-heartbeat", "--without-gossip"],
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


def _broker_forget() -> None:
    """Leave no message for later worker tests: the queue, and the killed workers'
    unacknowledged ones (Redis would hand them back after the visibility timeout)."""
    celery_app.control.purge()
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.delete("unacked", "unacked_index")


def _time_passes() -> None:
    """What the clock would do after a crash: the dead worker's leases end (effects
    240 s, emails 240 s, order actions 90 s) and first attempts leave their grace."""
    now = timezone.now()
    Effect.objects.filter(status=EffectStatus.RUNNING).update(lease_until=now)
    Effect.objects.filter(status=EffectStatus.PENDING).update(
        created_at=now - timezone.timedelta(minutes=1), next_attempt_at=now
    )
    OutboundEmail.objects.filter(status=EmailStatus.SENDING).update(lease_until=now)
    OrderAction.objects.filter(status=ActionStatus.RUNNING).update(lease_until=now)


def _accepted(record_file: Path) -> Counter:
    """(recipients, subject) → how many times the provider accepted it."""
    if not record_file.exists():
        return Counter()
    lines = [json.loads(line) for line in record_file.read_text().splitlines() if line]
    return Counter((tuple(line["to"]), line["subject"]) for line in lines)


def _order(coordinator, make_user, n: int) -> Order:
    leaver = make_user(organization=coordinator.organization, email=f"leaver{n}@example.edu")
    order = order_create_draft(
        order_type=OrderType.DEACTIVATE_FUTURE_REPLACEMENT,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"existing_user": leaver, "workstation": f"WX{100 + n}"},
    )
    order_submit(order=order, actor=coordinator)  # the advance is promised (an effect)
    return order


def _settled() -> bool:
    return not (
        Effect.objects.exclude(status=EffectStatus.DONE).exists()
        or OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists()
        or Order.objects.exclude(status=OrderStatus.COMPLETED).exists()
    )


def test_killed_workers_and_a_flushed_queue_lose_no_effect_and_repeat_none(
    flow, coordinator, make_user, tmp_path
):
    record_file = tmp_path / "accepted-emails.jsonl"
    order_queues_ensure_defaults(team=[make_user(Role.ORDERS_TECHNICIAN, is_staff=True)])
    # The work arrives mixed, as in production: tickets and orders alternate.
    tickets, orders = [], []
    for n in range(max(ON_PREM, ORDERS)):
        if n < ON_PREM:
            tickets.append(flow.new(style=RefreshStyle.ON_PREM))
        if n < ORDERS:
            orders.append(_order(coordinator, make_user, n))
    tickets += [
        flow.to(TicketStatus.DELIVERY_SCHEDULED, style=RefreshStyle.NO_CUSTOMER)
        for _ in range(NO_CUSTOMER)
    ]
    ticket_ids = [t.pk for t in tickets]
    assert Effect.objects.filter(status=EffectStatus.PENDING).count() >= len(ticket_ids) + ORDERS

    worker = _start_worker(record_file)
    try:
        # Kill 1, among the ITSM effects: some ITSM tickets exist, most do not.
        wait_for(
            StubITSMTicket.objects.count,
            until=lambda n: n >= 10,
            timeout=90,
            what="the worker to make its first ITSM tickets",
        )
        _kill(worker)
        assert StubITSMTicket.objects.count() < len(ticket_ids)
        celery_app.control.purge()  # the broker loses every queued message
        _time_passes()
        worker = _start_worker(record_file)

        # Kill 2, among the emails: some went out, not all (no purge this time:
        # the killed worker's unacknowledged messages wait for the visibility timeout).
        deadline = time.monotonic() + 150
        while sum(_accepted(record_file).values()) < 3:
            assert time.monotonic() < deadline, "no email went out"
            effects_sweep()
            time.sleep(0.5)
        _kill(worker)
        mid_batch = OutboundEmail.objects.exclude(status=EmailStatus.SENT).count()
        assert mid_batch > 0, "the second kill came after every email had gone out"
        _time_passes()
        worker = _start_worker(record_file)

        deadline = time.monotonic() + 180
        rounds = 0
        while not _settled():
            assert time.monotonic() < deadline, list(
                Effect.objects.exclude(status=EffectStatus.DONE).values(
                    "task_name", "status", "attempts", "last_error"
                )[:5]
            ) + list(OutboundEmail.objects.exclude(status=EmailStatus.SENT).values()[:3])
            # Beat's sweeps, sped up; retries' backoff ended by hand as above.
            Effect.objects.filter(status=EffectStatus.PENDING, attempts__gt=0).update(
                next_attempt_at=timezone.now()
            )  # a backlog waits in the queue: the sweep does not send it twice
            effects_sweep()
            if rounds % 5 == 0:
                emails_deliver_pending(older_than_seconds=0)
                order_actions_sweep_task()  # in this process; it enqueues the advances
            rounds += 1
            time.sleep(3)
    finally:
        if worker.poll() is None:
            _kill(worker)
        _broker_forget()

    assert not Effect.objects.filter(status=EffectStatus.FAILED).exists()

    # --- the ITSM: exactly one ticket per refresh ticket, each with its tasks once.
    tickets = RefreshTicket.objects.filter(pk__in=ticket_ids)
    assert not tickets.filter(itsm_ticket_id="").exists()
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

    # --- automated order actions: each ran once.
    actions = OrderAction.objects.filter(order__in=orders)
    assert set(actions.values_list("status", flat=True)) == {ActionStatus.DONE}
    done_audits = Counter(
        OrderAudit.objects.filter(order__in=orders, transition="action_done").values_list(
            "order_id", "note"
        )
    )
    assert len(done_audits) == actions.count()
    assert set(done_audits.values()) == {1}
    renamed = StubDirectoryComputer.objects.filter(name__startswith="tmp-WX")
    assert renamed.count() == ORDERS
    assert all(len(c.previous_names) == 1 for c in renamed)  # renamed once each
    assert StubDirectoryAccount.objects.filter(active=False).count() == ORDERS

    # --- emails: every one accepted by the provider once, or reported.
    emails = list(OutboundEmail.objects.values("to", "subject", "attempts", "provider_message_id"))
    assert len(emails) >= 2 * ORDERS  # each order's confirmation and completion, at least
    assert len({(tuple(e["to"]), e["subject"]) for e in emails}) == len(emails)
    accepted = _accepted(record_file)
    assert set(accepted) == {(tuple(e["to"]), e["subject"]) for e in emails}  # none lost
    twice = [e for e in emails if accepted[(tuple(e["to"]), e["subject"])] > 1]
    for email in twice:
        # The documented at-least-once case: claimed again after a killed send.
        assert accepted[(tuple(email["to"]), email["subject"])] <= email["attempts"]
    # At most the sends in flight when the worker was killed (its processes, twice).
    assert len(twice) <= 2 * CONCURRENCY
    if twice:  # reported in the test summary, as the docs promise
        warnings.warn(
            f"{len(twice)} of {len(emails)} emails went out twice (at-least-once window, "
            f"{mid_batch} were unsent at the second kill): {[e['subject'] for e in twice]}",
            stacklevel=1,
        )
    assert all(e["provider_message_id"] for e in emails)
