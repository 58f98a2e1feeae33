"""Celery entry points for scheduling; each calls one service."""

from celery import shared_task

from .services import slots_generate


@shared_task
def generate_schedule_slots_task() -> int:
    """Nightly: generate slots for the day that just entered the horizon (idempotent)."""
    return slots_generate()
