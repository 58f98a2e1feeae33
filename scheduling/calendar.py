"""The business calendar: which days count, and the business-time rules of DESIGN.md §5.

Business days are Monday to Friday, minus the public holidays of the ``holidays``
package for ``BUSINESS_HOLIDAYS_COUNTRY``/``BUSINESS_HOLIDAYS_SUBDIV``, minus
``ClosureDay`` rows, except dates a ``ClosureDay`` marks open (an open row wins
over a holiday and over a weekend). Business hours are 05:00-18:00 in
``TIME_ZONE``.

Callers use the module functions (``is_business_day``, ``add_business_days``,
``invite_time``, ``reminder_times``, ``wizard_deadline``); each one asks
``business_calendar()`` for the current calendar. That object is built once per
process and rebuilt when closure days change (a version stamp in the Django
cache, bumped on every ClosureDay save/delete) or at most a minute later in
another process whose cache is not shared.

``add_business_days(d, n)`` first rolls ``d`` forward to a business day, then
steps ``n`` business days: Saturday + 0 is Monday, Saturday + 1 is Tuesday, so
``add_business_days(a, m + n) == add_business_days(add_business_days(a, m), n)``
for every date ``a``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from common.cache import UNAVAILABLE, cache_get, cache_version_bump

BUSINESS_DAY_START = dt.time(5, 0)
BUSINESS_DAY_END = dt.time(18, 0)
# Invites, reminders and the wizard deadline all go out at this local time.
SEND_TIME = dt.time(10, 5)

_VERSION_KEY = "scheduling:business-calendar-version"
# A process that does not share the cache still picks up closure changes this soon.
_MAX_AGE_SECONDS = 60
# Holidays are computed for this many years around a requested year at once.
_YEAR_SPAN = 3


class BusinessCalendar:
    """Business days for one holiday country/subdivision and one set of closure rows."""

    def __init__(
        self,
        *,
        country: str,
        subdiv: str | None,
        tz: str,
        closures: dict[dt.date, bool] | None = None,
    ):
        self.country = country
        self.subdiv = subdiv or None
        self.tz = ZoneInfo(tz)
        # date -> True when an admin marks it open, False when closed.
        self.closures = dict(closures or {})
        self._holidays: dict[dt.date, str] = {}
        self._years: set[int] = set()
        self._lock = threading.Lock()

    # --- days -------------------------------------------------------------
    def _holiday_dates(self, year: int) -> dict[dt.date, str]:
        if year not in self._years:
            with self._lock:
                if year not in self._years:
                    years = range(year - 1, year + _YEAR_SPAN)
                    found = holidays.country_holidays(
                        self.country, subdiv=self.subdiv, years=list(years)
                    )
                    self._holidays.update(found)
                    self._years |= set(years)
        return self._holidays

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday's name on ``day`` (whether or not an admin opened it)."""
        return self._holiday_dates(day.year).get(day)

    def is_business_day(self, day: dt.date) -> bool:
        if isinstance(day, dt.datetime):
            day = self.local(day).date()
        override = self.closures.get(day)
        if override is not None:
            return override
        if day.weekday() >= 5:
            return False
        return day not in self._holiday_dates(day.year)

    def next_business_day(self, day: dt.date) -> dt.date:
        """The first business day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_business_days(self, day: dt.date, n: int) -> dt.date:
        """Roll ``day`` forward to a business day, then step ``n`` business days."""
        if n < 0:
            raise ValueError("n must be zero or more business days.")
        if isinstance(day, dt.datetime):
            day = self.local(day).date()
        if not self.is_business_day(day):
            day = self.next_business_day(day)
        for _ in range(n):
            day = self.next_business_day(day)
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Business days from ``start`` through ``end``, both included."""
        days = []
        day = start
        while day <= end:
            if self.is_business_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    # --- times ------------------------------------------------------------
    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("Business-time rules need an aware datetime.")
        return moment.astimezone(self.tz)

    def at(self, day: dt.date, clock: dt.time) -> dt.datetime:
        """``clock`` on ``day`` in the business time zone (aware, DST-correct)."""
        return dt.datetime.combine(day, clock, tzinfo=self.tz)

    def counted_day(self, created_at: dt.datetime) -> dt.date:
        """The business day a ticket counts as created on.

        Its own day when that is a business day and the local time is before
        18:00; otherwise the next business day.
        """
        local = self.local(created_at)
        day = local.date()
        if self.is_business_day(day) and local.time() < BUSINESS_DAY_END:
            return day
        return self.next_business_day(day)

    def invite_time(self, created_at: dt.datetime) -> dt.datetime:
        """10:05 on the first business day after the day the ticket counts as created."""
        return self.at(self.next_business_day(self.counted_day(created_at)), SEND_TIME)

    def reminder_times(self, invite_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """10:05 on the invite's business day + 5 and + 10 business days."""
        day = self.local(invite_at).date()
        return (
            self.at(self.add_business_days(day, 5), SEND_TIME),
            self.at(self.add_business_days(day, 10), SEND_TIME),
        )

    def wizard_deadline(self, invite_at: dt.datetime) -> dt.datetime:
        """10:05 on the invite's business day + 14 business days."""
        day = self.local(invite_at).date()
        return self.at(self.add_business_days(day, 14), SEND_TIME)


_shared: dict = {"calendar": None, "version": None, "built": 0.0}
_shared_lock = threading.Lock()


def _load_closures() -> dict[dt.date, bool]:
    from .models import ClosureDay

    return dict(ClosureDay.objects.values_list("date", "open"))


def business_calendar() -> BusinessCalendar:
    """The configured calendar, rebuilt when closure days have changed."""
    # The cache down: build from the database (closure days) every time.
    version = cache_get(_VERSION_KEY, unavailable=UNAVAILABLE)
    now = time.monotonic()
    calendar = _shared["calendar"]
    if (
        calendar is not None
        and version is not UNAVAILABLE
        and _shared["version"] == version
        and now - _shared["built"] < _MAX_AGE_SECONDS
        and calendar.country == settings.BUSINESS_HOLIDAYS_COUNTRY
        and calendar.subdiv == (settings.BUSINESS_HOLIDAYS_SUBDIV or None)
        and str(calendar.tz) == settings.TIME_ZONE
    ):
        return calendar
    with _shared_lock:
        fresh = BusinessCalendar(
            country=settings.BUSINESS_HOLIDAYS_COUNTRY,
            subdiv=settings.BUSINESS_HOLIDAYS_SUBDIV,
            tz=settings.TIME_ZONE,
            closures=_load_closures(),
        )
        if (
            calendar is not None
            and calendar.country == fresh.country
            and calendar.subdiv == fresh.subdiv
        ):
            # Reuse the holiday years already computed; only closures changed.
            fresh._holidays, fresh._years = calendar._holidays, calendar._years
        _shared.update(calendar=fresh, version=version, built=now)
    return fresh


def invalidate_business_calendar() -> None:
    """Make every process rebuild its calendar (closure days changed)."""
    # Now and after commit, retried; a cache outage never fails the change.
    cache_version_bump(_VERSION_KEY)
    with _shared_lock:
        _shared["calendar"] = None


def is_business_day(day: dt.date) -> bool:
    return business_calendar().is_business_day(day)


def next_business_day(day: dt.date) -> dt.date:
    return business_calendar().next_business_day(day)


def add_business_days(day: dt.date, n: int) -> dt.date:
    return business_calendar().add_business_days(day, n)


def invite_time(created_at: dt.datetime) -> dt.datetime:
    return business_calendar().invite_time(created_at)


def reminder_times(invite_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return business_calendar().reminder_times(invite_at)


def wizard_deadline(invite_at: dt.datetime) -> dt.datetime:
    return business_calendar().wizard_deadline(invite_at)


def local_today() -> dt.date:
    """Today's date in the business time zone."""
    from django.utils import timezone

    return timezone.localdate()
