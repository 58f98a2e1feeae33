"""Slot generation for 100 teams x 35 days must take under 5 s (run by `make bench`)."""

import datetime as dt
import time

import pytest

from accounts.models import SupportTeam
from scheduling.models import GeneratedDay, ScheduleSlot, ScheduleSlotPreference
from scheduling.selectors import free_capacity_by_team
from scheduling.services import slots_generate

TEAMS = 100
TODAY = dt.date(2026, 11, 23)
TIMES = [dt.time(9, 0), dt.time(11, 0), dt.time(14, 0)]


@pytest.mark.django_db
def test_generate_100_teams_x_35_days_under_5_seconds(django_assert_max_num_queries):
    teams = SupportTeam.objects.bulk_create(
        [SupportTeam(name=f"Bench team {i:03d}") for i in range(TEAMS)]
    )
    ScheduleSlotPreference.objects.bulk_create(
        [
            ScheduleSlotPreference(team=team, weekday=day, start_time=start, capacity=3)
            for team in teams
            for day in range(5)
            for start in TIMES
        ]
    )

    started = time.perf_counter()
    created = slots_generate(today=TODAY)
    first = time.perf_counter() - started

    started = time.perf_counter()
    again = slots_generate(today=TODAY)
    second = time.perf_counter() - started

    started = time.perf_counter()
    with django_assert_max_num_queries(1):
        free = free_capacity_by_team(
            start=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
            end=dt.datetime(2026, 12, 29, tzinfo=dt.UTC),
        )
    third = time.perf_counter() - started

    print(
        f"\nslot generation: {created} slots, {GeneratedDay.objects.count()} team-days "
        f"in {first:.2f} s; second run {second:.2f} s; "
        f"free capacity for {len(free)} teams in {third * 1000:.0f} ms"
    )
    assert created == ScheduleSlot.objects.count() > TEAMS * 20 * len(TIMES)
    assert again == 0
    assert first < 5.0
