"""Issue 12 item 8 on a real Celery worker and Redis: email-only orders complete
without a person when the directory can do every step; a step the directory
cannot do becomes a manual one that says why; transient errors retry with
backoff and the attempts show on the staff order page."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from common.effects import effects_sweep
from common.models import Effect, EffectStatus
from config.celery import app as celery_app
from integrations.directory import TransientDirectoryError
from integrations.directory.stub import StubDirectoryClient
from integrations.models import StubDirectoryAccount
from notifications.models import OutboundEmail
from orders.choices import ActionKind, ActionStatus, OrderStatus, OrderType
from orders.models import Order
from orders.services import order_create_draft, order_submit
from tests.worker import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def _email_order(coordinator, username, mailboxes):
    return order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "new_full_name": "Nia New",
            "new_username": username,
            "new_email": f"{username}@example.edu",
            "distribution_groups": ["staff-all", "lab-b"],
            "shared_mailboxes": mailboxes,
        },
    )


def _status_after_effects_sweep(order):
    """The advance runs as an outbox effect (issue 20): its retry is due after the
    action's delay and the minute effects sweep (beat, not running here) sends it."""
    effects_sweep()
    return Order.objects.get(pk=order.pk).status


def test_email_only_completes_without_a_person_retrying_a_transient_error(
    coordinator, queues, technician, client, monkeypatch, task_ledger
):
    StubDirectoryAccount.objects.create(
        username="frontdesk", full_name="Front desk", email="frontdesk@example.edu"
    )
    # The directory times out once on the groups step; retries wait 1 s here.
    monkeypatch.setattr("orders.services.automation.policy.retry_delay", lambda attempts: 1)
    real_add = StubDirectoryClient.add_to_groups
    calls = []

    def flaky_add(self, **kwargs):
        calls.append(kwargs["idempotency_key"])
        if len(calls) == 1:
            raise TransientDirectoryError("The directory timed out.")
        return real_add(self, **kwargs)

    monkeypatch.setattr(StubDirectoryClient, "add_to_groups", flaky_add)
    order = _email_order(coordinator, "nnew", ["frontdesk@example.edu"])
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        order_submit(order=order, actor=coordinator)
        wait_for(
            lambda: _status_after_effects_sweep(order),
            until=lambda s: s == OrderStatus.COMPLETED,
            what="the automation to complete the order",
        )

    steps = list(order.actions.order_by("position").values_list("kind", "status", "attempts"))
    assert steps == [
        (ActionKind.AUTOMATED, ActionStatus.DONE, 1),
        (ActionKind.AUTOMATED, ActionStatus.DONE, 2),
        (ActionKind.AUTOMATED, ActionStatus.DONE, 1),
        (ActionKind.AUTOMATED, ActionStatus.DONE, 1),
    ]
    assert calls[0] == calls[1]  # the retry repeats the same idempotent call
    account = StubDirectoryAccount.objects.get(username="nnew")
    assert account.distribution_groups == ["staff-all", "lab-b"]
    assert account.shared_mailboxes == ["frontdesk@example.edu"]
    confirmation = OutboundEmail.objects.get(template="orders_confirmation")
    assert "/orders/account/" in confirmation.body_text  # the set-password link
    # The advance ran on the worker as its outbox effect (issue 20), once more after
    # the transient error.
    assert "common.tasks.effect_run_task" in task_ledger.names()
    advance = Effect.objects.get(
        task_name="orders.tasks.order_actions_advance_task", target_id=order.pk
    )
    assert (advance.status, advance.attempts) == (EffectStatus.DONE, 2)

    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "Tried automatically 2 times." in page
    assert "Last error" not in page  # cleared once the retry worked


def test_a_missing_mailbox_becomes_a_manual_step_that_says_why(
    coordinator, queues, technician, client
):
    order = _email_order(coordinator, "mmiss", ["nosuchbox@example.edu"])
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        order_submit(order=order, actor=coordinator)
        step = wait_for(
            lambda: order.actions.get(position=3),
            until=lambda a: a.kind == ActionKind.MANUAL,
            what="the mailbox step to need a person",
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    assert step.status == ActionStatus.PENDING
    assert step.instructions.startswith(
        "Needs a person: The directory has no shared mailbox nosuchbox@example.edu"
    )
    assert order.actions.get(position=4).status == ActionStatus.PENDING  # waits for the person
    assert order.audits.filter(transition="action_needs_person").count() == 1
    assert OutboundEmail.objects.filter(subject__contains="needs you").exists()

    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "Needs a person: The directory has no shared mailbox nosuchbox@example.edu" in page
    assert "Process “Grant the shared mailboxes”" in page
