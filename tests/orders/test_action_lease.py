"""A running automated action is leased to its worker, and the worker's heartbeat
renews the lease while the directory call runs (issue 20): a slow call keeps its
action, a dead worker's action is reclaimed within 5 minutes, and a run that lost
its action records nothing."""

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from common.effects import effect_run
from common.models import Effect, EffectStatus
from integrations.directory import TransientDirectoryError
from orders.choices import ActionKind, ActionStatus, AutomationKey, OrderType
from orders.models import OrderAudit
from orders.services import (
    automation,
    order_actions_advance,
    order_actions_sweep,
    order_create_draft,
    order_submit,
)

SWEEP_EVERY = dt.timedelta(minutes=2)  # config/celery.py: orders-actions-sweep


def _submitted_email_order(coordinator, username="lease"):
    order = order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"new_full_name": "Lee Ase", "new_username": username, "new_email": "l@example.edu"},
    )
    order_submit(order=order, actor=coordinator)  # no commit here: the advance waits
    return order


def _create_account(order):
    """The email-only queue's first step (issue 12 item 8: every step automated)."""
    return order.actions.get(automation=AutomationKey.CREATE_ACCOUNT)


@pytest.mark.django_db
def test_a_dead_workers_action_is_reclaimed_within_five_minutes_and_runs_once(
    coordinator, queues, directory
):
    order = _submitted_email_order(coordinator)
    crash = timezone.now()
    with time_machine.travel(crash, tick=False):
        # A worker claims the action and dies in the directory call (no heartbeat after).
        claimed = automation._claim_next(order.pk, automation.AdvanceOutcome())
        assert claimed.automation == AutomationKey.CREATE_ACCOUNT
    with time_machine.travel(crash + automation.ACTION_LEASE - dt.timedelta(seconds=1)):
        assert order_actions_sweep() == []  # still leased: it may be alive
        assert order_actions_advance(order_id=order.pk).ran == []
    # The lease lapsed; the next sweep (at most SWEEP_EVERY later) hands it out again.
    reclaim = crash + automation.ACTION_LEASE + SWEEP_EVERY
    assert reclaim - crash <= dt.timedelta(minutes=5)
    with time_machine.travel(reclaim):
        assert order_actions_sweep() == [order.pk]
        assert order_actions_advance(order_id=order.pk).ran[0] == AutomationKey.CREATE_ACCOUNT
    action = _create_account(order)
    assert (action.status, action.attempts, action.lease_until) == (ActionStatus.DONE, 2, None)
    assert directory.names().count("create_account") == 1
    done = OrderAudit.objects.filter(order=order, transition="action_done")
    assert done.filter(note__contains=action.name).count() == 1


@pytest.mark.django_db
def test_a_run_that_lost_its_action_records_nothing(coordinator, queues, directory):
    order = _submitted_email_order(coordinator)
    first = automation._claim_next(order.pk, automation.AdvanceOutcome())
    with time_machine.travel(timezone.now() + automation.ACTION_LEASE + dt.timedelta(seconds=1)):
        order_actions_advance(order_id=order.pk)  # the reclaiming run finishes it
    action = _create_account(order)
    before = (action.status, action.attempts, action.processed_at, action.last_error)
    # The first run comes back late (its call failed): its outcome is not recorded.
    late = automation._record(
        first.pk,
        attempt=first.attempts,
        result=None,
        error=RuntimeError("late"),
        kind=automation._Permanent,
    )
    assert late is None
    action.refresh_from_db()
    assert (action.status, action.attempts, action.processed_at, action.last_error) == before


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_slow_calls_action_from_being_reclaimed(
    coordinator, queues, directory, monkeypatch
):
    monkeypatch.setattr("common.effects._hurry", lambda *a, **k: None)  # run it here, below
    monkeypatch.setattr(automation.lease, "ACTION_LEASE", dt.timedelta(seconds=0.4))
    monkeypatch.setattr(automation.lease, "HEARTBEAT", dt.timedelta(seconds=0.1))
    order = _submitted_email_order(coordinator)
    seen_by_sweep = []

    def slow_create_account(**kwargs):
        time.sleep(1.2)  # three leases long: only the heartbeat keeps it
        seen_by_sweep.append(order_actions_sweep())
        directory.calls.append(("create_account", kwargs))
        return {"ok": True}

    monkeypatch.setattr(directory, "create_account", slow_create_account)
    outcome = order_actions_advance(order_id=order.pk)
    assert seen_by_sweep == [[]]  # the sweep never took the running action
    assert outcome.ran[0] == AutomationKey.CREATE_ACCOUNT
    action = _create_account(order)
    assert (action.status, action.attempts, action.lease_until) == (ActionStatus.DONE, 1, None)
    assert directory.names().count("create_account") == 1


def _email_order_with_groups(coordinator):
    order = order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "new_full_name": "Gro Ups",
            "new_username": "groups",
            "new_email": "g@example.edu",
            "distribution_groups": ["staff-all"],
            "shared_mailboxes": ["frontdesk@example.edu"],
        },
    )
    order_submit(order=order, actor=coordinator)
    return order


@pytest.mark.django_db
def test_every_automated_email_step_is_leased_and_a_crash_in_a_later_one_is_reclaimed(
    coordinator, queues, directory, monkeypatch
):
    # Issue 12 item 8's steps after the first run under the same lease (issue 20).
    directory.mailboxes.add("frontdesk@example.edu")
    leased = []
    real_call = automation.steps._call_adapter

    def watching_call(action, order):
        action.refresh_from_db()
        leased.append((action.automation, action.status, action.lease_until is not None))
        return real_call(action, order)

    monkeypatch.setattr("orders.services.automation.run._call_adapter", watching_call)
    order = _email_order_with_groups(coordinator)
    directory.fail["add_to_groups"] = TransientDirectoryError("The directory timed out.")
    assert order_actions_advance(order_id=order.pk).retry_in  # create done, groups wait
    del directory.fail["add_to_groups"]
    crash = timezone.now()
    with time_machine.travel(crash, tick=False):
        # The retry's worker claims the groups step and dies in the directory call.
        claimed = automation._claim_next(order.pk, automation.AdvanceOutcome())
        assert (claimed.automation, claimed.attempts) == (AutomationKey.ADD_GROUPS, 2)
    with time_machine.travel(crash + automation.ACTION_LEASE + SWEEP_EVERY):
        assert order_actions_sweep() == [order.pk]
        outcome = order_actions_advance(order_id=order.pk)
    assert outcome.completed
    assert [name for name, _, _ in leased] == [
        AutomationKey.CREATE_ACCOUNT,
        AutomationKey.ADD_GROUPS,
        AutomationKey.ADD_GROUPS,
        AutomationKey.GRANT_MAILBOXES,
        AutomationKey.SEND_CONFIRMATION,
    ]
    assert all(status == ActionStatus.RUNNING and lease for _, status, lease in leased)
    groups = order.actions.get(automation=AutomationKey.ADD_GROUPS)
    assert (groups.status, groups.attempts, groups.lease_until) == (ActionStatus.DONE, 3, None)
    assert directory.names().count("add_to_groups") == 1  # the dead run never got there
    assert not order.actions.exclude(lease_until=None).exists()


@pytest.mark.django_db
def test_a_step_handed_to_a_person_keeps_no_lease(coordinator, queues, directory):
    order = _email_order_with_groups(coordinator)  # the directory has no such mailbox
    order_actions_advance(order_id=order.pk)
    step = order.actions.get(automation=AutomationKey.GRANT_MAILBOXES)
    assert (step.kind, step.status, step.lease_until) == (
        ActionKind.MANUAL,
        ActionStatus.PENDING,
        None,
    )
    assert step.instructions.startswith("Needs a person:")
    assert order_actions_sweep() == []  # a person's step is not the sweep's


@pytest.mark.django_db
def test_a_transient_error_run_by_the_outbox_waits_the_actions_own_delay(
    coordinator, queues, directory, monkeypatch
):
    monkeypatch.setattr("common.effects._hurry", lambda *a, **k: None)
    monkeypatch.setattr("orders.services.automation.policy.retry_delay", lambda attempts: 7)
    directory.fail["create_account"] = TransientDirectoryError("The directory timed out.")
    order = _submitted_email_order(coordinator)
    effect = Effect.objects.get(
        task_name="orders.tasks.order_actions_advance_task", target_id=order.pk
    )
    before = timezone.now()
    assert effect_run(effect_id=effect.pk) == "retry"
    effect.refresh_from_db()
    assert effect.status == EffectStatus.PENDING
    assert effect.last_error.startswith("EffectRetryLater:")
    assert before + dt.timedelta(seconds=7) <= effect.next_attempt_at
    assert effect.next_attempt_at <= timezone.now() + dt.timedelta(seconds=7)
    action = _create_account(order)
    assert (action.status, action.attempts, action.lease_until) == (ActionStatus.PENDING, 1, None)
    # Once due, the same effect runs the step again and the order goes on.
    del directory.fail["create_account"]
    with time_machine.travel(effect.next_attempt_at + dt.timedelta(seconds=1)):
        assert effect_run(effect_id=effect.pk) == "done"
    action.refresh_from_db()
    assert (action.status, action.attempts) == (ActionStatus.DONE, 2)


@pytest.mark.django_db
def test_the_sweep_leaves_a_transient_retry_to_its_backoff(coordinator, queues, directory):
    directory.fail["create_account"] = TransientDirectoryError("The directory timed out.")
    order = _submitted_email_order(coordinator)
    failed_at = timezone.now()
    with time_machine.travel(failed_at, tick=False):
        assert order_actions_advance(order_id=order.pk).retry_in == automation.retry_delay(1)
    delay = dt.timedelta(seconds=automation.retry_delay(1))
    with time_machine.travel(failed_at + delay - dt.timedelta(seconds=1)):
        assert order_actions_sweep() == []  # its effect runs it when the delay is over
    with time_machine.travel(failed_at + delay):
        assert order_actions_sweep() == [order.pk]  # and the sweep is the backstop
