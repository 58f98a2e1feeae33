"""Fixtures of the scheduling tests."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.roles import Role


@pytest.fixture
def monday_morning():
    """The clock stands at Monday 2026-11-23 08:00 in Detroit (a business day)."""
    moment = dt.datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("America/Detroit"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def slot_admin(make_user):
    return make_user(Role.SCHEDULE_SLOT_ADMIN, is_staff=True)


@pytest.fixture
def manager(make_user):
    """A refresh manager: sees the calendar, edits nothing."""
    return make_user(Role.REFRESH_MANAGER, is_staff=True)
