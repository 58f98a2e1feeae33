"""Demo slot patterns for the demo support teams, a season closure day, and generated slots."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import SupportTeam

from .calendar import add_business_days
from .models import ClosureDay, ScheduleSlot, ScheduleSlotPreference
from .services import (
    closure_day_set,
    slot_create_one_off,
    slot_preference_create,
    slots_generate,
)

WEEKDAYS = range(5)  # Monday to Friday

# team name -> [(start, duration minutes, capacity, location note)]
PATTERNS = {
    "Desktop Support North": [
        (dt.time(9, 0), 60, 3, "North campus, Building A lobby"),
        (dt.time(11, 0), 60, 3, "North campus, Building A lobby"),
        (dt.time(14, 0), 90, 2, "North campus, Building A lobby"),
    ],
    "Desktop Support South": [
        (dt.time(9, 0), 60, 2, "South campus, IT desk"),
        (dt.time(13, 0), 60, 2, "South campus, IT desk"),
    ],
    "Orders Technicians": [
        (dt.time(10, 0), 60, 2, "Tech bench, room 012"),
        (dt.time(14, 0), 60, 3, "Tech bench, room 012"),
    ],
}

CLOSURE_NAME = "Winter season day (demo closure)"


def seed(*, out) -> list[str]:
    teams = {team.name: team for team in SupportTeam.objects.filter(name__in=PATTERNS)}
    for name, patterns in PATTERNS.items():
        team = teams.get(name)
        if team is None:
            continue
        existing = set(
            ScheduleSlotPreference.objects.filter(team=team).values_list("weekday", "start_time")
        )
        for weekday in WEEKDAYS:
            for start, minutes, capacity, note in patterns:
                if (weekday, start) in existing:
                    continue
                slot_preference_create(
                    team=team,
                    weekday=weekday,
                    start_time=start,
                    duration_minutes=minutes,
                    capacity=capacity,
                    location_note=note,
                )

    closure = ClosureDay.objects.filter(name=CLOSURE_NAME).first()
    if closure is None:
        # A business day about three weeks out, so it shows in the calendar.
        day = add_business_days(timezone.localdate() + dt.timedelta(days=21), 0)
        closure = closure_day_set(date=day, name=CLOSURE_NAME)

    created = slots_generate(today=timezone.localdate())
    # A Saturday a slot admin opened on purpose (shows as an "Opened exception").
    opened = ScheduleSlot.objects.filter(opens_closed_day=True, deleted_at__isnull=True).first()
    first_team = next(iter(teams.values()), None)
    if opened is None and first_team is not None:
        today = timezone.localdate()
        saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
        opened = slot_create_one_off(
            team=first_team,
            start=dt.datetime.combine(
                saturday, dt.time(10, 0), tzinfo=timezone.get_current_timezone()
            ),
            duration_minutes=120,
            capacity=4,
            location_note="Saturday catch-up day",
            open_closed_day=True,
        )
    counts = (
        ScheduleSlot.objects.filter(team__in=teams.values(), deleted_at__isnull=True)
        .values("team__name")
        .annotate(n=Count("id"), future=Count("id", filter=Q(start__gte=timezone.now())))
        .order_by("team__name")
    )
    lines = [
        f"Schedule slots: {created} new; closure day {closure.date:%a %Y-%m-%d} ({closure.name}).",
    ]
    if opened is not None:
        lines.append(f"  Opened closed day: {timezone.localtime(opened.start):%a %Y-%m-%d %H:%M}")
    lines += [f"  {row['team__name']:<24} {row['future']} upcoming slots" for row in counts]
    lines.append(
        "  Slot calendar: /scheduling/calendar/ (slots@example.edu edits, refresh managers view)"
    )
    return lines
