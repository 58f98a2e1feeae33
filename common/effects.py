"""Side effects through a transactional outbox (``common.models.Effect``).

Services never import tasks modules (tasks import services): they name the
task, e.g. ``enqueue_on_commit("refresh.tasks.itsm_ticket_create_task",
ticket_id=ticket.pk)``. That writes an :class:`~common.models.Effect` row in
the caller's transaction, so the effect exists exactly when the state change
commits; the after-commit hook only hurries it (``common.tasks.effect_run_task``
with the row's id). If that message is lost (a broker restart, a killed
worker), the minute sweep (``effects_sweep``) enqueues the row again.

A worker runs an effect with :func:`effect_run`: it claims the row (row lock
with ``skip_locked`` + a lease), calls the task's function synchronously, and
marks the row done once the function returned. Errors the task declares as
transient (its ``autoretry_for``), :class:`EffectNotReady` (a dependency such as
the ITSM ticket does not exist yet), :class:`EffectRetryLater` (the task's own
backoff, its ``retry_after``), Celery ``Retry``, the soft time limit,
database connection errors and unique-key races (IntegrityError) schedule
the next attempt with exponential backoff and a cap; any other error marks
the row failed with the error, for staff to retry.
The tasks themselves stay idempotent: they re-read state and return early.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from celery import current_app
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from common.models import Effect, EffectStatus
from common.selectors import FAILING_ATTEMPTS, effect_counts_changed

logger = logging.getLogger(__name__)

RUN_TASK = "common.tasks.effect_run_task"
# A claimed effect belongs to its worker this long. Longer than the task hard
# time limit (CELERY_TASK_TIME_LIMIT), so a live run never loses its lease; with
# the one-minute sweep a dead worker's effect runs again within 5 minutes.
LEASE = timedelta(seconds=240)
# Retries: 30 s, 1, 2, 4 ... minutes, at most 30 minutes apart, 12 attempts.
BACKOFF_BASE = 30
BACKOFF_CAP = 1800
MAX_ATTEMPTS = 12
# A new row is hurried at commit; the sweep leaves it alone this long.
HURRY_GRACE = timedelta(seconds=30)
# A row the sweep sent is not sent again for this long while it waits in the
# queue behind a backlog (unless it became due again since: a retry, a lease).
RESEND_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 1000
KEEP_DONE = timedelta(days=7)


class EffectNotReady(Exception):
    """Retry later: the effect needs another effect's result that does not exist yet."""


class EffectRetryLater(Exception):
    """Retry after ``retry_after`` seconds: the task keeps its own backoff (e.g. an
    order action's retry delay) instead of the outbox's."""

    def __init__(self, message: str = "", *, retry_after: float):
        super().__init__(message or f"the task asked to run again in {retry_after:g} s")
        self.retry_after = retry_after


def task_by_name(name: str):
    """The registered task ``name``, importing every app's tasks module first if needed."""
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _target(kwargs: dict[str, Any]) -> tuple[str, int | None]:
    """("ticket", 12) from the first ``<kind>_id`` argument; ("", None) when none."""
    for name, value in kwargs.items():
        if name.endswith("_id") and isinstance(value, int) and not isinstance(value, bool):
            return name[: -len("_id")], value
    return "", None


def _hurry(effect_id: int, countdown: float | None = None) -> None:
    """Send the effect to a worker now (or after ``countdown`` seconds)."""
    task = task_by_name(RUN_TASK)
    if countdown:
        task.apply_async(kwargs={"effect_id": effect_id}, countdown=countdown)
    else:
        task.delay(effect_id=effect_id)


def enqueue_on_commit(
    task_name: str,
    /,
    *,
    countdown: float | None = None,
    effect_key: str | None = None,
    **kwargs: Any,
) -> Effect:
    """Promise ``task_name(**kwargs)``: an outbox row now, a worker after commit.

    The row is written in the current transaction (none is written if it rolls
    back); ``effect_key`` makes a second promise of the same effect a no-op
    (default: a fresh key, every call is its own effect). ``countdown`` delays
    the first attempt.
    """
    now = timezone.now()
    target_kind, target_id = _target(kwargs)
    due = now + timedelta(seconds=countdown) if countdown else now
    fields = {
        "task_name": task_name,
        "kwargs": kwargs,
        "target_kind": target_kind,
        "target_id": target_id,
        "next_attempt_at": due,
        "created_at": now,
    }
    if effect_key is None:
        key = f"{task_name}:{uuid.uuid4().hex}"
        effect, created = Effect.objects.create(key=key, **fields), True
    else:
        effect, created = Effect.objects.get_or_create(key=effect_key, defaults=fields)
    if created:
        # robust: the row is committed; a broker hiccup must not fail the
        # request (the sweep sends the row again).
        transaction.on_commit(lambda: _hurry(effect.pk, countdown), robust=True)
    return effect


def _claimable(now) -> Q:
    return Q(status=EffectStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EffectStatus.RUNNING, lease_until__lt=now
    )


def _is_transient(task, exc: BaseException) -> bool:
    # IntegrityError: two runs of the same work raced on a unique key; the next
    # attempt re-reads the state and finds the work done.
    transient = (
        EffectNotReady,
        EffectRetryLater,
        Retry,
        SoftTimeLimitExceeded,
        OperationalError,
        InterfaceError,
        IntegrityError,
    )
    return isinstance(exc, transient + tuple(getattr(task, "autoretry_for", ()) or ()))


def _backoff(attempts: int, exc: BaseException) -> float:
    asked = getattr(exc, "retry_after", None)
    if isinstance(asked, int | float) and asked > 0:
        return min(float(asked), BACKOFF_CAP)
    return float(min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP))


def effect_claim(*, effect_id: int) -> Effect | None:
    """Take the effect for this worker (status running, a lease, one more attempt).

    None when it is done, failed, not yet due, or another live worker holds it.
    """
    now = timezone.now()
    with transaction.atomic():
        effect = (
            Effect.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), pk=effect_id)
            .first()
        )
        if effect is None:
            return None
        effect.status = EffectStatus.RUNNING
        effect.attempts += 1
        effect.lease_until = now + LEASE
        effect.save(update_fields=["status", "attempts", "lease_until", "updated_at"])
    return effect


def _finish(effect: Effect, **fields: Any) -> bool:
    """Record the outcome if this run still holds the lease (attempts is the fence)."""
    finished = bool(
        Effect.objects.filter(
            pk=effect.pk, status=EffectStatus.RUNNING, attempts=effect.attempts
        ).update(updated_at=timezone.now(), **fields)
    )
    if fields.get("status") == EffectStatus.FAILED or effect.attempts >= FAILING_ATTEMPTS:
        effect_counts_changed()  # it joins or leaves the effects page: its count moves
    return finished


def effect_run(*, effect_id: int) -> str:
    """Claim the effect and run its task here; "done", "retry", "failed" or "skipped"."""
    effect = effect_claim(effect_id=effect_id)
    if effect is None:
        return "skipped"
    task = task_by_name(effect.task_name)
    try:
        task(**effect.kwargs)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if _is_transient(task, exc) and effect.attempts < MAX_ATTEMPTS:
            delay = _backoff(effect.attempts, exc)
            logger.info("effect %s %s: retry in %ss (%s)", effect.pk, task.name, delay, error)
            _finish(
                effect,
                status=EffectStatus.PENDING,
                lease_until=None,
                next_attempt_at=timezone.now() + timedelta(seconds=delay),
                last_error=error,
            )
            return "retry"
        logger.exception("effect %s %s failed", effect.pk, effect.task_name)
        _finish(effect, status=EffectStatus.FAILED, lease_until=None, last_error=error)
        return "failed"
    if _finish(effect, status=EffectStatus.DONE, lease_until=None):
        _wake_waiting(effect)
    return "done"


def _wake_waiting(effect: Effect) -> None:
    """Effects about the same object that wait for a result (``EffectNotReady``,
    e.g. the appointment push waiting for the ITSM ticket) may have it now: they
    run now instead of after their backoff."""
    if not effect.target_kind:
        return
    waiting = Effect.objects.filter(
        target_kind=effect.target_kind,
        target_id=effect.target_id,
        status=EffectStatus.PENDING,
        last_error__startswith=f"{EffectNotReady.__name__}:",
    ).exclude(pk=effect.pk)
    ids = list(waiting.values_list("pk", flat=True))
    if ids:
        Effect.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        for effect_id in ids:
            try:
                _hurry(effect_id)
            except Exception:  # the broker down: they are due, the sweep sends them
                logger.warning("could not hurry waiting effect %s", effect_id, exc_info=True)


def effects_due_ids(*, limit: int = SWEEP_BATCH) -> list[int]:
    """Rows a worker should run now: due pending rows (past the hurry grace for
    first attempts) and running rows whose lease expired (a dead worker)."""
    now = timezone.now()
    fresh = Q(attempts=0, created_at__gt=now - HURRY_GRACE)
    not_sent_since_due = (
        Q(swept_at__isnull=True)
        | Q(swept_at__lt=now - RESEND_AFTER)
        | Q(status=EffectStatus.PENDING, swept_at__lt=F("next_attempt_at"))
        | Q(status=EffectStatus.RUNNING, swept_at__lt=F("lease_until"))
    )
    return list(
        Effect.objects.filter(_claimable(now), not_sent_since_due)
        .exclude(fresh & Q(status=EffectStatus.PENDING))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def effects_sweep() -> int:
    """Beat, every minute: send every due effect to a worker; forget old done rows."""
    ids = effects_due_ids()
    Effect.objects.filter(pk__in=ids).update(swept_at=timezone.now())
    for effect_id in ids:
        _hurry(effect_id)
    Effect.objects.filter(
        status=EffectStatus.DONE, updated_at__lt=timezone.now() - KEEP_DONE
    ).delete()
    return len(ids)


@transaction.atomic
def effect_retry_now(*, effect_id: int, actor) -> Effect:
    """Staff: run a failed, waiting or abandoned effect again now (attempts start over).

    A running effect whose lease is still live is left to its worker.
    """
    effect = Effect.objects.select_for_update().get(pk=effect_id)
    now = timezone.now()
    if effect.status == EffectStatus.DONE or (
        effect.status == EffectStatus.RUNNING and effect.lease_until and effect.lease_until > now
    ):
        return effect
    effect.status = EffectStatus.PENDING
    effect.attempts = 0
    effect.next_attempt_at = now
    effect.lease_until = None
    effect.retried_by = actor
    effect.retried_at = now
    effect.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "lease_until",
            "retried_by",
            "retried_at",
            "updated_at",
        ]
    )
    effect_counts_changed()
    transaction.on_commit(lambda: _hurry(effect.pk), robust=True)
    return effect
