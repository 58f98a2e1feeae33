"""The slot calendar at size (issue 17): a week of every team with more slots
than a person reads lists each team's totals per day, each linking to that
team's week; a team's week lists its slots; the month adds up in the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from scheduling.models import ScheduleSlot
from scheduling.views import WEEK_SLOTS_SHOWN
from tests.accounts.factories import SupportTeamFactory

pytestmark = pytest.mark.django_db

DETROIT = ZoneInfo("America/Detroit")
MONDAY = dt.date(2026, 11, 23)
CALENDAR = reverse("scheduling:calendar")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=DETROIT), tick=False):
        yield


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(Role.REFRESH_MANAGER, is_staff=True))
    return client


def _week_of_slots(team, per_day: int, booked: int = 0) -> None:
    """``per_day`` slots (capacity 3, 30 minutes apart from 06:00) Monday to
    Friday of MONDAY's week, the first ``booked`` of each day with one booking."""
    starts = [
        dt.datetime.combine(MONDAY + dt.timedelta(days=d), dt.time(6), tzinfo=DETROIT)
        + dt.timedelta(minutes=30 * n)
        for d in range(5)
        for n in range(per_day)
    ]
    ScheduleSlot.objects.bulk_create(
        ScheduleSlot(
            team=team,
            start=start,
            end=start + dt.timedelta(minutes=30),
            capacity=3,
            booked_count=1 if i % per_day < booked else 0,
        )
        for i, start in enumerate(starts)
    )


def test_a_busy_week_of_every_team_lists_each_teams_totals(staff):
    teams = [SupportTeamFactory(name=f"Team {i:02d}") for i in range(6)]
    for team in teams:
        _week_of_slots(team, per_day=3, booked=1)  # 6 teams x 15 = 90 slots
    assert WEEK_SLOTS_SHOWN < 6 * 15
    response = staff.get(CALENDAR, {"view": "week", "date": MONDAY.isoformat()})
    tuesday = response.context["days"][1]
    assert tuesday.slots == []
    assert [(t.team_name, t.slots, t.booked, t.free) for t in tuesday.teams] == [
        (f"Team {i:02d}", 3, 1, 8) for i in range(6)
    ]
    assert (tuesday.slot_count, tuesday.booked, tuesday.free) == (18, 6, 48)
    assert f"&amp;team={teams[2].pk}" in response.text
    assert "3 slots · 1 booked · 8 free" in response.text
    assert "Too many slots this week to list each one" in response.text


def test_a_quiet_week_and_one_teams_week_list_each_slot(staff):
    quiet, busy = SupportTeamFactory(name="Quiet"), SupportTeamFactory(name="Busy")
    _week_of_slots(quiet, per_day=2)
    week = {"view": "week", "date": MONDAY.isoformat()}
    shown = staff.get(CALENDAR, week).context["days"]
    assert sum(len(d.slots) for d in shown) == 10
    _week_of_slots(busy, per_day=17)  # 85 + 10 slots: totals for every team
    assert all(d.slots == [] for d in staff.get(CALENDAR, week).context["days"])
    one_team = staff.get(CALENDAR, {**week, "team": busy.pk}).context["days"]
    assert sum(len(d.slots) for d in one_team) == 85
    assert {s.team_id for d in one_team for s in d.slots} == {busy.pk}


def test_the_month_adds_up_slots_booked_and_free_per_day(staff):
    for team in (SupportTeamFactory(), SupportTeamFactory()):
        _week_of_slots(team, per_day=4, booked=2)
    weeks = staff.get(CALENDAR, {"view": "month", "date": "2026-11-05"}).context["weeks"]
    tuesday = next(d for w in weeks for d in w if d.date == MONDAY + dt.timedelta(days=1))
    assert (tuesday.slot_count, tuesday.booked, tuesday.free) == (8, 4, 20)
    assert sum(d.slot_count for w in weeks for d in w) == 40
