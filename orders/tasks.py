"""Celery entry points of the orders app: thin, take ids, safe to run twice."""

from celery import shared_task

from common.effects import EffectRetryLater
from orders.services import (
    MAX_ATTEMPTS,
    enduser_secrets_purge_expired,
    order_actions_advance,
    order_actions_sweep,
)


@shared_task(bind=True, max_retries=MAX_ATTEMPTS, acks_late=True)
def order_actions_advance_task(self, order_id: int):
    """Run the order's next automated actions; retry later on a transient directory error."""
    outcome = order_actions_advance(order_id=order_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        if self.request.called_directly:
            # Run by the outbox (common.effects.effect_run), where Celery's retry
            # would lose the countdown: the effect runs again after the action's delay.
            raise EffectRetryLater(
                f"order {order_id}: a transient directory error", retry_after=outcome.retry_in
            )
        raise self.retry(countdown=outcome.retry_in)
    return {"ran": outcome.ran, "completed": outcome.completed, "retry_in": outcome.retry_in}


@shared_task
def order_actions_sweep_task():
    """Beat: re-enqueue orders whose automated action waits (missed task, stale worker)."""
    order_ids = order_actions_sweep()
    for order_id in order_ids:
        order_actions_advance_task.delay(order_id)
    return len(order_ids)


@shared_task
def enduser_secrets_purge_task():
    """Beat: purge end-user passwords past their retention date."""
    return enduser_secrets_purge_expired()
