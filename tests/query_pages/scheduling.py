"""Scheduling pages: the slot calendar, one slot and its bookings, slot preferences."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import SupportTeamFactory
from tests.query_pages.base import Page, url


def _preferences(ctx, n):
    from tests.scheduling.factories import ScheduleSlotPreferenceFactory

    for _ in range(n):
        ScheduleSlotPreferenceFactory(team=SupportTeamFactory())


def slots_create(ctx, n):
    from tests.scheduling.factories import ScheduleSlotFactory

    team = ctx.setdefault("team", SupportTeamFactory())
    for i in range(n):
        start = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC) + dt.timedelta(hours=i)
        ScheduleSlotFactory(team=team, start=start, end=start + dt.timedelta(minutes=30))


def _slot_detail(ctx):
    from tests.scheduling.factories import ScheduleSlotFactory

    ctx["slot"] = ScheduleSlotFactory(capacity=40)
    return reverse("scheduling:slot_detail", args=[ctx["slot"].pk])


def bookings_create(ctx, n):
    from scheduling.services import booking_create

    for _ in range(n):
        booking_create(slot_id=ctx["slot"].pk, booked_object=SupportTeamFactory())


PAGES: dict[str, Page] = {
    "scheduling:preference_list": Page(
        Role.SCHEDULE_SLOT_ADMIN, url("scheduling:preference_list"), _preferences
    ),
    "scheduling:calendar": Page(
        Role.REFRESH_MANAGER, url("scheduling:calendar", "view=week&date=2026-11-23"), slots_create
    ),
    "scheduling:slot_detail": Page(Role.REFRESH_MANAGER, _slot_detail, bookings_create),
}
