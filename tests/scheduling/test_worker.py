"""The nightly generation task on a real Celery worker and the real Redis broker."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from scheduling.models import GeneratedDay, ScheduleSlot
from scheduling.tasks import generate_schedule_slots_task

from .factories import ScheduleSlotPreferenceFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def test_generation_task_runs_on_a_worker_and_is_idempotent(support_team, task_ledger):
    for weekday in range(5):
        ScheduleSlotPreferenceFactory(team=support_team, weekday=weekday)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        task_ledger.wait(generate_schedule_slots_task.delay())
        created = ScheduleSlot.objects.count()
        days = GeneratedDay.objects.count()
        assert created > 0
        assert days > 0
        # The second run must finish on the worker and find every day generated.
        task_ledger.wait(generate_schedule_slots_task.delay())

    assert ScheduleSlot.objects.count() == created
    assert GeneratedDay.objects.count() == days
    starts = list(ScheduleSlot.objects.values_list("start", flat=True))
    assert len(starts) == len(set(starts))
