"""What the staff page tests share: Monday 2026-11-23 in Detroit (the clock of
``monday_morning``) and slots made in bulk."""

import datetime as dt
from zoneinfo import ZoneInfo

from scheduling.models import ScheduleSlot

DETROIT = ZoneInfo("America/Detroit")
MONDAY = dt.date(2026, 11, 23)


def make_slots(team, count, day=MONDAY):
    slots = []
    for i in range(count):
        start = dt.datetime.combine(
            day + dt.timedelta(days=1 + i % 5), dt.time(9 + i % 8, 0), tzinfo=DETROIT
        )
        slots.append(
            ScheduleSlot(team=team, start=start, end=start + dt.timedelta(hours=1), capacity=2)
        )
    return ScheduleSlot.objects.bulk_create(slots)
