"""The nightly generation task on a real Celery worker and the real Redis broker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from scheduling.models import ScheduleSlot
from scheduling.tasks import generate_schedule_slots_task

from .factories import ScheduleSlotPreferenceFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def test_generation_task_runs_on_a_worker_and_is_idempotent(support_team):
    for weekday in range(5):
        ScheduleSlotPreferenceFactory(team=support_team, weekday=weekday)

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        generate_schedule_slots_task.delay()
        created = wait_for(lambda: ScheduleSlot.objects.count(), until=lambda n: n > 0)
        generate_schedule_slots_task.delay()
        # The second run finds every day generated: the count stays put.
        again = wait_for(
            lambda: ScheduleSlot.objects.count(), until=lambda n: n != created, timeout=3
        )

    assert created > 0
    assert again == created
    starts = list(ScheduleSlot.objects.values_list("start", flat=True))
    assert len(starts) == len(set(starts))


def wait_for(read, *, until, timeout=30.0):
    deadline = time.monotonic() + timeout
    value = read()
    while not until(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value
