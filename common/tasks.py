"""Celery entry points of the outbox (``common.effects``): thin, ids in."""

from celery import shared_task

from common.effects import effect_run, effects_sweep


@shared_task(acks_late=True)
def effect_run_task(effect_id: int) -> str:
    """Claim one outbox row and run its task here (safe to deliver twice)."""
    return effect_run(effect_id=effect_id)


@shared_task
def effects_sweep_task() -> int:
    """Beat, every minute: send due effects and abandoned ones to the workers."""
    return effects_sweep()
