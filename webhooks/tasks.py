"""Celery entry points of the webhooks app (thin: one service each)."""

from celery import shared_task

from . import services


@shared_task(name="webhooks.tasks.webhook_deliver_task", ignore_result=True)
def webhook_deliver_task(delivery_id: int) -> None:
    services.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.tasks.webhook_deliveries_sweep_task", ignore_result=True)
def webhook_deliveries_sweep_task() -> None:
    services.webhook_deliveries_sweep()
