"""Celery entry points of the integrations app: thin, ids in."""

from celery import shared_task

from .jobs import job_run_execute


@shared_task(acks_late=True)
def job_run_task(run_id: int) -> str:
    """A job staff started with "Run this job now" (``integrations.jobs``)."""
    return job_run_execute(run_id=run_id)
