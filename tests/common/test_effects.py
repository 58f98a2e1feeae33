"""The effects outbox (common/effects.py): a promised effect is a row written with
the state change, run once by whoever claims it, retried with backoff when the
error is transient, failed for staff when it is not, and swept again when its
broker message or its worker is lost."""

import datetime as dt

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from common import effects
from common.effects import EffectNotReady, effect_run, effects_due_ids, enqueue_on_commit
from common.models import Effect, EffectStatus

pytestmark = pytest.mark.django_db

RUNS: list[dict] = []


class Flaky(Exception):
    """A transient error the test task declares (like TransientITSMError)."""


@shared_task(name="tests.common.outbox_probe_task", autoretry_for=(Flaky,))
def outbox_probe_task(item_id: int, fail: str = "") -> None:
    RUNS.append({"item_id": item_id, "fail": fail})
    if fail == "flaky":
        raise Flaky("the outside is down")
    if fail == "not_ready":
        raise EffectNotReady("the ITSM ticket does not exist yet")
    if fail == "bug":
        raise ValueError("no such thing")


PROBE = "tests.common.outbox_probe_task"


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()
    yield
    RUNS.clear()


def _promise(django_capture_on_commit_callbacks, **kwargs) -> Effect:
    """Promise the probe in a committed transaction without hurrying it."""
    with django_capture_on_commit_callbacks(execute=False):
        return enqueue_on_commit(PROBE, **kwargs)


def test_a_rolled_back_change_leaves_no_effect_and_runs_nothing(
    django_capture_on_commit_callbacks,
):
    def failing_change():
        with transaction.atomic():
            enqueue_on_commit(PROBE, item_id=1)
            raise RuntimeError("the state change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        failing_change()
    assert callbacks == []
    assert not Effect.objects.exists()
    assert RUNS == []


def test_a_committed_effect_runs_once_after_commit_and_is_marked_done(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        effect = enqueue_on_commit(PROBE, item_id=3)
    effect.refresh_from_db()
    assert (effect.status, effect.attempts, effect.target) == (EffectStatus.DONE, 1, "item 3")
    assert RUNS == [{"item_id": 3, "fail": ""}]
    # A second delivery of the same message (late ack, the sweep) does nothing.
    assert effect_run(effect_id=effect.pk) == "skipped"
    assert len(RUNS) == 1


def test_the_same_idempotency_key_promises_one_effect(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = enqueue_on_commit(PROBE, effect_key="probe:9", item_id=9)
        second = enqueue_on_commit(PROBE, effect_key="probe:9", item_id=9)
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert RUNS == [{"item_id": 9, "fail": ""}]


@pytest.mark.parametrize("fail", ["flaky", "not_ready"])
def test_a_transient_error_schedules_the_next_attempt_with_growing_backoff(
    django_capture_on_commit_callbacks, fail
):
    effect = _promise(django_capture_on_commit_callbacks, item_id=4, fail=fail)
    before = timezone.now()
    assert effect_run(effect_id=effect.pk) == "retry"
    effect.refresh_from_db()
    assert effect.status == EffectStatus.PENDING
    assert effect.attempts == 1
    assert effect.lease_until is None
    assert effect.last_error.startswith(("Flaky: the outside", "EffectNotReady: the ITSM"))
    first_wait = effect.next_attempt_at - before
    assert dt.timedelta(seconds=29) < first_wait < dt.timedelta(seconds=32)
    # Not due yet: a delivery now does nothing.
    assert effect_run(effect_id=effect.pk) == "skipped"
    Effect.objects.filter(pk=effect.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    assert effect_run(effect_id=effect.pk) == "retry"
    effect.refresh_from_db()
    assert effect.attempts == 2
    assert dt.timedelta(seconds=59) < effect.next_attempt_at - before < dt.timedelta(seconds=62)


def test_backoff_is_capped_and_attempts_run_out_into_failed(django_capture_on_commit_callbacks):
    assert effects._backoff(30, Flaky()) == effects.BACKOFF_CAP
    effect = _promise(django_capture_on_commit_callbacks, item_id=5, fail="flaky")
    Effect.objects.filter(pk=effect.pk).update(attempts=effects.MAX_ATTEMPTS - 1)
    assert effect_run(effect_id=effect.pk) == "failed"
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (EffectStatus.FAILED, effects.MAX_ATTEMPTS)
    assert "the outside is down" in effect.last_error


def test_a_permanent_error_fails_at_once_with_the_error(django_capture_on_commit_callbacks):
    effect = _promise(django_capture_on_commit_callbacks, item_id=6, fail="bug")
    assert effect_run(effect_id=effect.pk) == "failed"
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (EffectStatus.FAILED, 1)
    assert effect.last_error == "ValueError: no such thing"
    assert effects_due_ids() == []  # the sweep leaves it for staff


def test_the_sweep_resends_lost_and_abandoned_effects_but_not_fresh_or_live_ones(
    django_capture_on_commit_callbacks, monkeypatch
):
    now = timezone.now()
    lost = _promise(django_capture_on_commit_callbacks, item_id=1)
    Effect.objects.filter(pk=lost.pk).update(created_at=now - dt.timedelta(minutes=1))
    fresh = _promise(django_capture_on_commit_callbacks, item_id=2)
    abandoned = _promise(django_capture_on_commit_callbacks, item_id=3)
    Effect.objects.filter(pk=abandoned.pk).update(
        status=EffectStatus.RUNNING, attempts=1, lease_until=now - dt.timedelta(seconds=1)
    )
    live = _promise(django_capture_on_commit_callbacks, item_id=4)
    Effect.objects.filter(pk=live.pk).update(
        status=EffectStatus.RUNNING, attempts=1, lease_until=now + dt.timedelta(minutes=3)
    )
    later = _promise(django_capture_on_commit_callbacks, item_id=5)
    Effect.objects.filter(pk=later.pk).update(
        attempts=1, next_attempt_at=now + dt.timedelta(minutes=3)
    )
    old_done = _promise(django_capture_on_commit_callbacks, item_id=6)
    Effect.objects.filter(pk=old_done.pk).update(status=EffectStatus.DONE)
    Effect.objects.filter(pk=old_done.pk).update(updated_at=now - dt.timedelta(days=8))
    sent = []
    monkeypatch.setattr(effects, "_hurry", lambda effect_id, countdown=None: sent.append(effect_id))

    assert effects.effects_sweep() == 2
    assert sorted(sent) == sorted([lost.pk, abandoned.pk])
    assert not Effect.objects.filter(pk=old_done.pk).exists()
    # The abandoned effect runs again on the next worker, its attempts counted.
    assert effect_run(effect_id=abandoned.pk) == "done"
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == (EffectStatus.DONE, 2)
    assert effect_run(effect_id=live.pk) == "skipped"
    assert fresh.pk not in sent


def test_a_stale_worker_cannot_overwrite_the_outcome_of_the_run_that_reclaimed_it(
    django_capture_on_commit_callbacks,
):
    effect = _promise(django_capture_on_commit_callbacks, item_id=7)
    stale = effects.effect_claim(effect_id=effect.pk)
    Effect.objects.filter(pk=effect.pk).update(lease_until=timezone.now())
    assert effect_run(effect_id=effect.pk) == "done"
    assert effects._finish(stale, status=EffectStatus.FAILED) is False
    effect.refresh_from_db()
    assert (effect.status, effect.attempts) == (EffectStatus.DONE, 2)


def test_retry_now_runs_a_failed_effect_again_and_records_who_asked(
    django_capture_on_commit_callbacks, superuser
):
    effect = _promise(django_capture_on_commit_callbacks, item_id=8, fail="bug")
    effect_run(effect_id=effect.pk)
    Effect.objects.filter(pk=effect.pk).update(kwargs={"item_id": 8})  # "fixed"
    with django_capture_on_commit_callbacks(execute=True):
        effects.effect_retry_now(effect_id=effect.pk, actor=superuser)
    effect.refresh_from_db()
    assert (effect.status, effect.attempts, effect.retried_by) == (
        EffectStatus.DONE,
        1,
        superuser,
    )
    assert RUNS[-1] == {"item_id": 8, "fail": ""}
