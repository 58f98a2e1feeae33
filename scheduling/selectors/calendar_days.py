"""The calendar page's days: each with its slots, its teams' totals or its own
totals, read in one query whatever the number of slots."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..calendar import BusinessCalendar, business_calendar
from ..models import ScheduleSlot
from .slots import slots_live


# --- calendar views -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SlotTotals:
    """Slots added up: how many, their booked and free places, and whether one of
    them opened a closed day (the month adds up each day, every team together)."""

    slots: int
    booked: int
    free: int
    opens_closed_day: bool


@dataclass(frozen=True, slots=True)
class TeamDay(SlotTotals):
    """One team's slots on one day, added up (the all-teams week at size)."""

    team_id: int
    team_name: str


@dataclass(frozen=True, slots=True)
class SlotRow:
    """A slot as the calendar prints it: only the columns it shows, no model
    instance (the page lists up to a few hundred)."""

    pk: int
    start: dt.datetime
    end: dt.datetime
    team_id: int
    team_name: str
    capacity: int
    booked_count: int
    opens_closed_day: bool

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked_count, 0)


SLOT_ROW_FIELDS = (
    "pk",
    "start",
    "end",
    "team_id",
    "team__name",
    "capacity",
    "booked_count",
    "opens_closed_day",
)


@dataclass
class CalendarDay:
    """A day of the calendar with its slots, its teams' totals (``teams``) or its
    own totals (``totals``), whichever the page shows."""

    date: dt.date
    in_month: bool = True
    is_business_day: bool = True
    is_today: bool = False
    holiday: str | None = None
    slots: list[ScheduleSlot | SlotRow] = field(default_factory=list)
    teams: list[TeamDay] = field(default_factory=list)
    totals: SlotTotals | None = None

    def _added(self) -> list[SlotTotals]:
        return [*self.teams, self.totals] if self.totals else self.teams

    @property
    def opened(self) -> bool:
        """A closed day a slot admin opened with a one-off slot (an exception)."""
        return not self.is_business_day and (
            any(slot.opens_closed_day for slot in self.slots)
            or any(t.opens_closed_day for t in self._added())
        )

    @property
    def slot_count(self) -> int:
        return len(self.slots) + sum(t.slots for t in self._added())

    @property
    def free(self) -> int:
        return sum(slot.free for slot in self.slots) + sum(t.free for t in self._added())

    @property
    def booked(self) -> int:
        return sum(slot.booked_count for slot in self.slots) + sum(t.booked for t in self._added())


def _live_in_range(
    calendar: BusinessCalendar, first_day: dt.date, last_day: dt.date, team_ids
) -> QuerySet[ScheduleSlot]:
    """Live slots starting from ``first_day`` through ``last_day`` (business time zone)."""
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=calendar.tz)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=calendar.tz)
    slots = slots_live().filter(start__gte=start, start__lt=end)
    if team_ids is not None:
        slots = slots.filter(team_id__in=list(team_ids))
    return slots


def slots_in_range(
    *, first_day: dt.date, last_day: dt.date, team_ids=None
) -> QuerySet[ScheduleSlot]:
    return _live_in_range(business_calendar(), first_day, last_day, team_ids).order_by(
        "start", "team__name", "pk"
    )


def _empty_days(
    calendar: BusinessCalendar, *, first_day: dt.date, last_day: dt.date, month: int | None = None
) -> dict[dt.date, CalendarDay]:
    today = timezone.localdate()
    days: dict[dt.date, CalendarDay] = {}
    day = first_day
    while day <= last_day:
        days[day] = CalendarDay(
            date=day,
            in_month=month is None or day.month == month,
            is_business_day=calendar.is_business_day(day),
            is_today=day == today,
            holiday=calendar.holiday_name(day),
        )
        day += dt.timedelta(days=1)
    return days


def _calendar_days(
    *,
    first_day: dt.date,
    last_day: dt.date,
    team_ids=None,
    month: int | None = None,
    limit: int | None = None,
    rows: bool = False,
) -> list[CalendarDay]:
    # One look at the calendar's version (a cache read) for the whole selector.
    calendar = business_calendar()
    days = _empty_days(calendar, first_day=first_day, last_day=last_day, month=month)
    slots = _live_in_range(calendar, first_day, last_day, team_ids).order_by(
        "start", "team__name", "pk"
    )
    if rows:
        slots = (SlotRow(*row) for row in slots.values_list(*SLOT_ROW_FIELDS)[:limit])
    elif limit is not None:
        slots = slots[:limit]
    for slot in slots:
        local_day = calendar.local(slot.start).date()
        if local_day in days:
            days[local_day].slots.append(slot)
    return list(days.values())


def _calendar_totals(
    *,
    first_day: dt.date,
    last_day: dt.date,
    team_ids=None,
    month: int | None = None,
    by_team: bool = True,
) -> list[CalendarDay]:
    """Days with their slots added up by the database (one query, one row per day,
    or per team and day with ``by_team``, however many slots)."""
    calendar = business_calendar()
    days = _empty_days(calendar, first_day=first_day, last_day=last_day, month=month)
    slots = _live_in_range(calendar, first_day, last_day, team_ids)
    group = ("day", "team__name", "team_id") if by_team else ("day",)
    totals = (
        slots.annotate(day=TruncDate("start", tzinfo=calendar.tz))
        .values(*group)
        .annotate(
            n=Count("pk"),
            booked=Sum("booked_count"),
            capacity=Sum("capacity"),
            opens=Count("pk", filter=Q(opens_closed_day=True)),
        )
        .order_by(*group)
    )
    for row in totals:
        day = days.get(row["day"])
        if day is None:
            continue
        added = {
            "slots": row["n"],
            "booked": row["booked"],
            "free": max(row["capacity"] - row["booked"], 0),
            "opens_closed_day": bool(row["opens"]),
        }
        if by_team:
            day.teams.append(TeamDay(team_id=row["team_id"], team_name=row["team__name"], **added))
        else:
            day.totals = SlotTotals(**added)
    return list(days.values())


def _week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def calendar_week_teams(*, day: dt.date, team_ids=None) -> list[CalendarDay]:
    """The week of ``day`` with each team's totals per day (one query)."""
    first, last = _week_bounds(day)
    return _calendar_totals(first_day=first, last_day=last, team_ids=team_ids)


def calendar_month_totals(*, year: int, month: int, team_ids=None) -> list[list[CalendarDay]]:
    """The month as weeks of days with their totals (what the month view shows:
    counts, not slots), added up by the database in one query, one row a day."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    days = _calendar_totals(
        first_day=weeks[0][0],
        last_day=weeks[-1][-1],
        team_ids=team_ids,
        month=month,
        by_team=False,
    )
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def calendar_week(*, day: dt.date, team_ids=None, limit: int | None = None) -> list[CalendarDay]:
    """Monday to Sunday of the week containing ``day``, each with its slots (one
    query; the first ``limit`` slots of the week when given)."""
    first, last = _week_bounds(day)
    return _calendar_days(first_day=first, last_day=last, team_ids=team_ids, limit=limit)


def calendar_week_rows(
    *, day: dt.date, team_ids=None, limit: int | None = None
) -> list[CalendarDay]:
    """``calendar_week`` for the calendar page: each slot as a ``SlotRow`` (the
    columns the page prints, read as values)."""
    first, last = _week_bounds(day)
    return _calendar_days(first_day=first, last_day=last, team_ids=team_ids, limit=limit, rows=True)


def calendar_month(*, year: int, month: int, team_ids=None) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days with their slots (one query)."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    days = _calendar_days(
        first_day=weeks[0][0], last_day=weeks[-1][-1], team_ids=team_ids, month=month
    )
    return [days[i : i + 7] for i in range(0, len(days), 7)]
