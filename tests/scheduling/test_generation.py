"""Slot generation: backfill, nightly additions, deletions and preference changes stick."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from scheduling.calendar import business_calendar
from scheduling.models import GeneratedDay, ScheduleSlot
from scheduling.services import slot_delete, slot_preference_update, slots_generate
from scheduling.tasks import generate_schedule_slots_task

from .factories import ScheduleSlotPreferenceFactory

pytestmark = pytest.mark.django_db

DETROIT = ZoneInfo("America/Detroit")
MONDAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=DETROIT)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def weekday_prefs(support_team):
    """Monday to Friday at 09:00, capacity 2."""
    return [
        ScheduleSlotPreferenceFactory(team=support_team, weekday=day, capacity=2)
        for day in range(5)
    ]


def business_days(first, last):
    return business_calendar().business_days_between(first, last)


def test_first_run_backfills_every_business_day_through_the_horizon(support_team, weekday_prefs):
    created = slots_generate(today=MONDAY)
    expected_days = business_days(MONDAY, MONDAY + dt.timedelta(days=35))
    assert created == len(expected_days)
    slots = list(ScheduleSlot.objects.filter(team=support_team).order_by("start"))
    assert [s.start.astimezone(DETROIT).date() for s in slots] == expected_days
    assert dt.date(2026, 11, 26) not in expected_days  # Thanksgiving has no slots
    first = slots[0]
    assert first.start == dt.datetime(2026, 11, 23, 9, 0, tzinfo=DETROIT)
    assert first.end - first.start == dt.timedelta(hours=1)
    assert first.capacity == 2
    assert first.preference_id is not None


def test_running_twice_changes_nothing(support_team, weekday_prefs):
    slots_generate(today=MONDAY)
    count = ScheduleSlot.objects.count()
    assert slots_generate(today=MONDAY) == 0
    assert ScheduleSlot.objects.count() == count


def test_nightly_run_adds_the_new_day(support_team, weekday_prefs):
    slots_generate(today=MONDAY)
    before = ScheduleSlot.objects.count()
    # Tomorrow the horizon moves from Mon 28 Dec to Tue 29 Dec, a business day.
    assert slots_generate(today=MONDAY + dt.timedelta(days=1)) == 1
    newest = ScheduleSlot.objects.order_by("-start").first()
    assert newest.start.astimezone(DETROIT).date() == dt.date(2026, 12, 29)
    assert ScheduleSlot.objects.count() == before + 1


def test_deleted_slot_stays_deleted(support_team, weekday_prefs):
    slots_generate(today=MONDAY)
    victim = ScheduleSlot.objects.order_by("start")[3]
    slot_delete(slot=victim)
    victim.delete()  # even a hard delete in the admin is not undone
    slots_generate(today=MONDAY)
    slots_generate(today=MONDAY + dt.timedelta(days=1))
    assert not ScheduleSlot.objects.filter(team=support_team, start=victim.start).exists()


def test_changed_preference_shows_only_in_new_days(support_team, weekday_prefs):
    slots_generate(today=MONDAY)
    tuesday_pref = weekday_prefs[1]
    slot_preference_update(preference=tuesday_pref, capacity=5, start_time=dt.time(14, 0))
    slots_generate(today=MONDAY + dt.timedelta(days=1))
    changed = ScheduleSlot.objects.filter(capacity=5)
    assert [s.start for s in changed] == [dt.datetime(2026, 12, 29, 14, 0, tzinfo=DETROIT)]
    assert ScheduleSlot.objects.filter(capacity=2, preference=tuesday_pref).count() == 5


def test_inactive_preferences_and_teams_without_any_generate_nothing(support_team):
    ScheduleSlotPreferenceFactory(team=support_team, active=False)
    assert slots_generate(today=MONDAY) == 0
    assert not GeneratedDay.objects.exists()


def test_slots_follow_local_time_across_dst(support_team):
    ScheduleSlotPreferenceFactory(team=support_team, weekday=0, start_time=dt.time(9, 0))
    slots_generate(today=dt.date(2027, 3, 1))
    starts = {
        s.start.astimezone(DETROIT).date(): s.start
        for s in ScheduleSlot.objects.filter(team=support_team)
    }
    assert starts[dt.date(2027, 3, 8)].astimezone(dt.UTC).hour == 14  # EST
    assert starts[dt.date(2027, 3, 15)].astimezone(dt.UTC).hour == 13  # EDT
    assert {s.astimezone(DETROIT).hour for s in starts.values()} == {9}


def test_management_command_and_task(support_team, weekday_prefs):
    out = StringIO()
    call_command("generate_schedule_slots", "--today", "2026-11-23", stdout=out)
    assert "Generated" in out.getvalue()
    count = ScheduleSlot.objects.count()
    assert count > 0
    assert generate_schedule_slots_task.delay().get() == 0  # today is 2026-11-23 (frozen)
    assert ScheduleSlot.objects.count() == count


def test_management_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY|2026-11-23"):
        call_command("generate_schedule_slots", "--today", "yesterday")
