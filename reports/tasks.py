"""Celery entry points of reports (thin: one service each)."""

from celery import shared_task

from . import services


@shared_task
def reports_run_task():
    """Record the daily metrics and email the reports due (idempotent)."""
    return services.reports_run()
