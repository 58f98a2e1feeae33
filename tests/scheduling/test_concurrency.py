"""Real threads on PostgreSQL: no double booking, no duplicate generation."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from scheduling.exceptions import SlotUnavailable
from scheduling.models import Booking, ScheduleSlot
from scheduling.services import booking_create, slots_generate
from tests.accounts.factories import SupportTeamFactory

from .factories import ScheduleSlotFactory, ScheduleSlotPreferenceFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locking and threads"
    ),
]


def run_at_once(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []
    lock = threading.Lock()

    def runner(i):
        try:
            barrier.wait(timeout=30)
            outcome = work(i)
            with lock:
                results.append(outcome)
        except Exception as exc:  # collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_fifty_attempts_at_a_capacity_three_slot_give_three_bookings():
    slot = ScheduleSlotFactory(capacity=3)
    things = [SupportTeamFactory() for _ in range(50)]

    results, errors = run_at_once(
        50, lambda i: booking_create(slot_id=slot.pk, booked_object=things[i])
    )

    assert len(results) == 3
    assert len(errors) == 47
    assert all(isinstance(err, SlotUnavailable) for err in errors), errors[:3]
    assert {str(err) for err in errors} == {
        "That slot is no longer available. Please pick another one."
    }
    slot.refresh_from_db()
    assert slot.booked_count == 3
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 3


def test_two_generation_runs_at_once_create_each_slot_once():
    team = SupportTeamFactory()
    for weekday in range(5):
        ScheduleSlotPreferenceFactory(team=team, weekday=weekday)
    today = dt.date(2026, 11, 23)

    _, errors = run_at_once(2, lambda i: slots_generate(today=today))

    assert errors == []
    starts = list(ScheduleSlot.objects.filter(team=team).values_list("start", flat=True))
    assert len(starts) == len(set(starts)) > 0
