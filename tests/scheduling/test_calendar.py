"""Business-time rules (DESIGN.md §5): worked examples and properties."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling import calendar
from scheduling.calendar import BusinessCalendar
from scheduling.services import closure_day_set, closure_days_delete

DETROIT = ZoneInfo("America/Detroit")
UTC = dt.UTC


def local(*args):
    return dt.datetime(*args, tzinfo=DETROIT)


def at_1005(y, m, d):
    return local(y, m, d, 10, 5)


# --- worked examples --------------------------------------------------------------
@pytest.mark.django_db
class TestBusinessDays:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2026, 11, 20), True),  # Friday
            (dt.date(2026, 11, 21), False),  # Saturday
            (dt.date(2026, 11, 22), False),  # Sunday
            (dt.date(2026, 11, 26), False),  # Thanksgiving
            (dt.date(2026, 11, 27), False),  # Day after Thanksgiving (Michigan)
            (dt.date(2026, 12, 24), False),  # Christmas Eve
            (dt.date(2026, 12, 25), False),  # Christmas Day
            (dt.date(2026, 12, 31), False),  # New Year's Eve
            (dt.date(2027, 1, 1), False),  # New Year's Day
            (dt.date(2027, 1, 4), True),  # first Monday of 2027
        ],
    )
    def test_is_business_day(self, day, expected):
        assert calendar.is_business_day(day) is expected

    def test_closure_day_closes_and_reopening_invalidates_the_cache(self):
        day = dt.date(2026, 12, 28)
        assert calendar.is_business_day(day)
        closure = closure_day_set(date=day, name="Winter season day")
        assert not calendar.is_business_day(day)
        closure_days_delete(closures=[closure])
        assert calendar.is_business_day(day)

    def test_open_override_beats_a_holiday(self):
        closure_day_set(date=dt.date(2026, 11, 27), name="Working", open=True)
        assert calendar.is_business_day(dt.date(2026, 11, 27))
        assert calendar.invite_time(local(2026, 11, 25, 12)) == at_1005(2026, 11, 27)

    def test_add_business_days(self):
        assert calendar.add_business_days(dt.date(2026, 11, 20), 0) == dt.date(2026, 11, 20)
        assert calendar.add_business_days(dt.date(2026, 11, 21), 0) == dt.date(2026, 11, 23)
        assert calendar.add_business_days(dt.date(2026, 11, 21), 1) == dt.date(2026, 11, 24)
        assert calendar.add_business_days(dt.date(2026, 11, 25), 1) == dt.date(2026, 11, 30)
        assert calendar.add_business_days(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 28)
        with pytest.raises(ValueError, match="zero or more"):
            calendar.add_business_days(dt.date(2026, 11, 20), -1)


@pytest.mark.django_db
class TestInviteTime:
    @pytest.mark.parametrize(
        ("created", "invite"),
        [
            # A business day before 18:00 counts; the invite is the next business day.
            (local(2026, 11, 20, 17, 59), at_1005(2026, 11, 23)),
            # 18:00 on Friday counts as Monday, so the invite goes Tuesday.
            (local(2026, 11, 20, 18, 0), at_1005(2026, 11, 24)),
            # Before business hours still counts on the day.
            (local(2026, 11, 23, 3, 0), at_1005(2026, 11, 24)),
            # Weekend: counts as Monday, invite Tuesday.
            (local(2026, 11, 21, 9, 0), at_1005(2026, 11, 24)),
            # Wednesday before Thanksgiving: Thursday and Friday are closed.
            (local(2026, 11, 25, 12, 0), at_1005(2026, 11, 30)),
            (local(2026, 11, 25, 18, 30), at_1005(2026, 12, 1)),
            # Created on Thanksgiving counts as Monday.
            (local(2026, 11, 26, 9, 0), at_1005(2026, 12, 1)),
            # Christmas Eve and Day closed.
            (local(2026, 12, 23, 10, 0), at_1005(2026, 12, 28)),
            # New Year's Eve and Day closed.
            (local(2026, 12, 30, 10, 0), at_1005(2027, 1, 4)),
            # Inputs in UTC: 22:59 UTC is 17:59 in Detroit (EST), 23:00 is 18:00.
            (dt.datetime(2026, 11, 20, 22, 59, tzinfo=UTC), at_1005(2026, 11, 23)),
            (dt.datetime(2026, 11, 20, 23, 0, tzinfo=UTC), at_1005(2026, 11, 24)),
        ],
    )
    def test_examples(self, created, invite):
        result = calendar.invite_time(created)
        assert result == invite
        assert result.tzinfo is not None
        assert result.astimezone(DETROIT).time() == dt.time(10, 5)

    def test_closure_day_pushes_the_invite(self):
        closure_day_set(date=dt.date(2026, 12, 28), name="Season day")
        assert calendar.invite_time(local(2026, 12, 23, 10)) == at_1005(2026, 12, 29)

    def test_dst_end_weekend(self):
        # DST ends Sunday 2026-11-01: Friday is EDT (UTC-4), Monday is EST (UTC-5).
        invite = calendar.invite_time(local(2026, 10, 30, 12, 0))
        assert invite == at_1005(2026, 11, 2)
        assert invite.astimezone(UTC) == dt.datetime(2026, 11, 2, 15, 5, tzinfo=UTC)

    def test_dst_start_weekend(self):
        # DST starts Sunday 2027-03-14: Monday 10:05 is 14:05 UTC.
        invite = calendar.invite_time(local(2027, 3, 12, 12, 0))
        assert invite.astimezone(UTC) == dt.datetime(2027, 3, 15, 14, 5, tzinfo=UTC)


@pytest.mark.django_db
class TestRemindersAndDeadline:
    def test_across_thanksgiving(self):
        invite = at_1005(2026, 11, 23)
        assert calendar.reminder_times(invite) == (at_1005(2026, 12, 2), at_1005(2026, 12, 9))
        assert calendar.wizard_deadline(invite) == at_1005(2026, 12, 15)

    def test_across_christmas_and_new_year(self):
        invite = at_1005(2026, 12, 21)
        # +5: 22, 23, 28, 29, 30; +10: Jan 4, 5, 6, 7, 8; +14: 11, 12, 13, 14.
        assert calendar.reminder_times(invite) == (at_1005(2026, 12, 30), at_1005(2027, 1, 8))
        assert calendar.wizard_deadline(invite) == at_1005(2027, 1, 14)

    def test_across_dst_start(self):
        invite = at_1005(2027, 3, 11)  # EST
        first, second = calendar.reminder_times(invite)
        assert first == at_1005(2027, 3, 18)
        assert first.astimezone(UTC).hour == 14  # EDT
        assert invite.astimezone(UTC).hour == 15

    def test_invite_in_utc_is_read_in_local_time(self):
        # 02:05 UTC on Tuesday is 21:05 Monday in Detroit: count from Monday.
        invite = dt.datetime(2026, 11, 24, 2, 5, tzinfo=UTC)
        assert calendar.reminder_times(invite)[0] == at_1005(2026, 12, 2)


# --- properties -------------------------------------------------------------------
PROPERTY_CALENDAR = BusinessCalendar(
    country="US",
    subdiv="MI",
    tz="America/Detroit",
    closures={dt.date(2026, 12, 28): False, dt.date(2026, 11, 27): True},
)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))
moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.sampled_from([DETROIT, UTC, ZoneInfo("Asia/Tokyo")]),
)
steps = st.integers(min_value=0, max_value=40)
PROPS = settings(max_examples=300, deadline=None)


@PROPS
@given(day=dates, n=steps)
def test_add_business_days_lands_on_a_business_day(day, n):
    result = PROPERTY_CALENDAR.add_business_days(day, n)
    assert PROPERTY_CALENDAR.is_business_day(result)
    assert result >= day


@PROPS
@given(a=dates, b=dates, n=steps)
def test_add_business_days_is_monotonic(a, b, n):
    a, b = sorted([a, b])
    assert PROPERTY_CALENDAR.add_business_days(a, n) <= PROPERTY_CALENDAR.add_business_days(b, n)


@PROPS
@given(a=dates, m=steps, n=steps)
def test_add_business_days_composes(a, m, n):
    a = PROPERTY_CALENDAR.add_business_days(a, 0)  # a business day
    cal = PROPERTY_CALENDAR
    assert cal.add_business_days(a, m + n) == cal.add_business_days(cal.add_business_days(a, m), n)


@PROPS
@given(first=moments, second=moments)
def test_invite_time_is_a_later_business_day_and_monotonic(first, second):
    first, second = sorted([first, second])
    cal = PROPERTY_CALENDAR
    invite_first, invite_second = cal.invite_time(first), cal.invite_time(second)
    assert invite_first <= invite_second
    assert invite_first > first
    local = invite_first.astimezone(DETROIT)
    assert cal.is_business_day(local.date())
    assert local.time() == dt.time(10, 5)


@PROPS
@given(created=moments)
def test_reminders_and_deadline_are_ordered_business_days_at_1005(created):
    cal = PROPERTY_CALENDAR
    invite = cal.invite_time(created)
    first, second = cal.reminder_times(invite)
    deadline = cal.wizard_deadline(invite)
    assert invite < first < second < deadline
    for moment in (first, second, deadline):
        local = moment.astimezone(DETROIT)
        assert cal.is_business_day(local.date())
        assert local.time() == dt.time(10, 5)
