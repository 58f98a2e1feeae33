"""Claiming the next automated action under a lease, and the heartbeat that
renews the lease while the directory call runs (issue 20)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connections, transaction
from django.utils import timezone

from orders.choices import FINISHED_ACTION_STATUSES, ActionKind, ActionStatus, OrderStatus
from orders.models import OrderAction

from .._core import order_lock, run_transition
from .policy import JOB, AdvanceOutcome

logger = logging.getLogger(__name__)

# A running action belongs to its worker while its lease is live. The worker
# renews the lease every HEARTBEAT while the directory call runs, so a slow call
# keeps its action however long it takes (up to the task time limit), and an
# action whose worker died is free again within ACTION_LEASE: the next orders
# sweep (every 2 minutes) or the outbox's rerun of the advance reclaims it,
# within 5 minutes of the crash.
ACTION_LEASE = timedelta(seconds=90)
HEARTBEAT = timedelta(seconds=30)


def _claim_next(order_id: int, outcome: AdvanceOutcome) -> OrderAction | None:
    """Lock the order; complete it, stop, or mark its next automated action running."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        if order.status not in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS):
            return None
        action = (
            OrderAction.objects.select_for_update()
            .filter(order=order)
            .exclude(status__in=FINISHED_ACTION_STATUSES)
            .order_by("position")
            .first()
        )
        if action is None:
            from ..orders import order_complete_locked

            order_complete_locked(order=order, job=JOB)
            outcome.completed = True
            return None
        if action.kind != ActionKind.AUTOMATED or action.status == ActionStatus.FAILED:
            return None
        now = timezone.now()
        if (
            action.status == ActionStatus.RUNNING
            and action.lease_until
            and action.lease_until > now
        ):
            return None  # a live worker has it (its heartbeat renews the lease)
        action.status = ActionStatus.RUNNING
        action.attempts += 1
        action.started_at = now
        action.lease_until = now + ACTION_LEASE
        action.save(update_fields=["status", "attempts", "started_at", "lease_until"])
        if order.status == OrderStatus.SUBMITTED:
            run_transition(order=order, action="start", job=JOB, check_permission=False)
        return action


def _lease_renew(action: OrderAction) -> int:
    """Extend the lease of the run that holds ``action`` (its attempt is the fence)."""
    return OrderAction.objects.filter(
        pk=action.pk, status=ActionStatus.RUNNING, attempts=action.attempts
    ).update(lease_until=timezone.now() + ACTION_LEASE)


@contextmanager
def _heartbeat(action: OrderAction) -> Iterator[None]:
    """Renew the action's lease every HEARTBEAT while the body runs (a thread with
    its own database connection). A killed worker's heartbeat dies with it."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT.total_seconds()):
                if not _lease_renew(action):
                    return  # finished, cancelled, or reclaimed meanwhile
        except Exception:  # a lost beat only shortens the lease
            logger.warning("order action %s: lease renewal failed", action.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name=f"order-action-{action.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
