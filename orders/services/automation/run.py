"""The advance (claim, call under the heartbeat, record; step after step) and
the sweep that finds orders whose automated action waits."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from orders.choices import FINISHED_ACTION_STATUSES, ActionKind, ActionStatus, OrderStatus
from orders.models import Order, OrderAction

from . import policy
from .lease import _claim_next, _heartbeat
from .policy import AdvanceOutcome, _classify
from .record import _record
from .steps import _call_adapter

logger = logging.getLogger(__name__)


def order_actions_advance(*, order_id: int, max_steps: int = 25) -> AdvanceOutcome:
    """Run the order's automated actions in order until a manual one, a failure or the end."""
    outcome = AdvanceOutcome()
    for _ in range(max_steps):
        action = _claim_next(order_id, outcome)
        if action is None:
            break
        order = Order.objects.get(pk=order_id)
        try:
            with _heartbeat(action):
                result, error, kind = _call_adapter(action, order), None, None
        except Exception as exc:  # classified below; unknown errors fail the action
            result, error = None, exc
            kind = _classify(exc)
            logger.warning(
                "order %s action %s (%s) error: %s",
                order.number,
                action.pk,
                action.automation,
                type(exc).__name__,
            )
        retry_in = _record(
            action.pk, attempt=action.attempts, result=result, error=error, kind=kind
        )
        outcome.ran.append(action.automation)
        if retry_in is not None:
            outcome.retry_in = retry_in
            break
        if error is not None:
            break
    return outcome


def order_actions_sweep(*, limit: int = 200) -> list[int]:
    """Order ids whose next automated action waits (missed task, a dead worker's
    action whose lease lapsed). An action waiting out the backoff of a transient
    error is left to its advance effect until the delay has passed."""
    now = timezone.now()
    current_position = (
        OrderAction.objects.filter(order=OuterRef("order"))
        .exclude(status__in=FINISHED_ACTION_STATUSES)
        .order_by("position")
        .values("position")[:1]
    )
    waiting = (
        OrderAction.objects.filter(
            kind=ActionKind.AUTOMATED,
            order__status__in=[OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS],
            status__in=[ActionStatus.PENDING, ActionStatus.RUNNING],
            position=Subquery(current_position),
        )
        .exclude(status=ActionStatus.RUNNING, lease_until__gt=now)
        .order_by("order_id")
        .values_list("order_id", "status", "attempts", "started_at", "last_error")
    )
    due: list[int] = []
    for order_id, status, attempts, started_at, last_error in waiting.iterator():
        if _backing_off(status, attempts, started_at, last_error, now) or order_id in due:
            continue
        due.append(order_id)
        if len(due) >= limit:
            break
    return due


def _backing_off(status, attempts, started_at, last_error, now) -> bool:
    """A pending action whose last try hit a transient error, inside its retry delay."""
    if status != ActionStatus.PENDING or not (attempts and started_at and last_error):
        return False
    return started_at + timedelta(seconds=policy.retry_delay(attempts)) > now
