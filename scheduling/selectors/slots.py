"""Reads about slots, bookings, slot preferences, teams and calendar feeds."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from accounts.models import SupportTeam
from notifications.links import hash_token

from ..calendar import business_calendar
from ..models import Booking, CalendarFeedToken, ScheduleSlot, ScheduleSlotPreference


def _team_id(team) -> int:
    return team if isinstance(team, int) else team.pk


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=business_calendar().tz)


def slots_live() -> QuerySet[ScheduleSlot]:
    """Slots that are not deleted, with their team."""
    return ScheduleSlot.objects.filter(deleted_at__isnull=True).select_related("team")


def bookable_window(*, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the next business day through the end of the generated horizon."""
    calendar = business_calendar()
    now = now or timezone.now()
    today = calendar.local(now).date()
    first = calendar.next_business_day(today)
    last = today + dt.timedelta(days=settings.SLOT_HORIZON_DAYS)
    return _day_start(first), _day_start(last + dt.timedelta(days=1))


def slots_bookable(*, team, now: dt.datetime | None = None) -> QuerySet[ScheduleSlot]:
    """The team's slots with a free place in the bookable window, earliest first.

    Slots on a day closed after they were generated are left out.
    """
    start, end = bookable_window(now=now)
    calendar = business_calendar()
    closed = [day for day, is_open in calendar.closures.items() if not is_open]
    slots = slots_live().filter(
        team_id=_team_id(team),
        start__gte=start,
        start__lt=end,
        booked_count__lt=F("capacity"),
        generic=False,
    )
    if closed:
        # A slot the admin opened a closure day for stays bookable.
        slots = slots.exclude(start__date__in=closed, opens_closed_day=False)
    return slots.order_by("start", "pk")


def free_capacity_by_team(*, team_ids=None, start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """Free places per team in slots starting in [start, end): one query.

    Teams named in ``team_ids`` without any slot get 0.
    """
    rows = ScheduleSlot.objects.filter(
        deleted_at__isnull=True, generic=False, start__gte=start, start__lt=end
    )
    result: dict[int, int] = {}
    if team_ids is not None:
        team_ids = list(team_ids)
        rows = rows.filter(team_id__in=team_ids)
        result = dict.fromkeys(team_ids, 0)
    for team_id, free in (
        rows.order_by()
        .values("team_id")
        .annotate(free=Sum(F("capacity") - F("booked_count")))
        .values_list("team_id", "free")
    ):
        result[team_id] = int(free or 0)
    return result


def booking_active_for(*, obj) -> Booking | None:
    """The object's active booking with its slot and team, or None."""
    return (
        Booking.objects.filter(
            booked_type=ContentType.objects.get_for_model(obj),
            booked_id=str(obj.pk),
            cancelled_at__isnull=True,
        )
        .select_related("slot", "slot__team")
        .first()
    )


def bookings_active_for_objects(*, objs) -> dict[str, Booking]:
    """Active bookings of many objects of one model, keyed by str(pk): one query."""
    objs = list(objs)
    if not objs:
        return {}
    booked_type = ContentType.objects.get_for_model(objs[0])
    rows = Booking.objects.filter(
        booked_type=booked_type,
        booked_id__in=[str(obj.pk) for obj in objs],
        cancelled_at__isnull=True,
    ).select_related("slot", "slot__team")
    return {row.booked_id: row for row in rows}


def bookings_for(*, obj) -> QuerySet[Booking]:
    """Every booking of the object, newest first, cancelled ones included (history)."""
    return Booking.objects.filter(
        booked_type=ContentType.objects.get_for_model(obj), booked_id=str(obj.pk)
    ).select_related("slot", "slot__team", "booked_by", "cancelled_by")


def slot_get(*, slot_id: int) -> ScheduleSlot | None:
    return slots_live().filter(pk=slot_id).first()


def slot_bookings(*, slot: ScheduleSlot) -> QuerySet[Booking]:
    return (
        slot.bookings.filter(cancelled_at__isnull=True)
        .select_related("booked_type", "booked_by")
        .prefetch_related("booked_object")
    )


def slot_preferences_list(*, team_ids=None) -> QuerySet[ScheduleSlotPreference]:
    prefs = ScheduleSlotPreference.objects.select_related("team").order_by(
        "team__name", "-active", "weekday", "start_time"
    )
    if team_ids is not None:
        prefs = prefs.filter(team_id__in=list(team_ids))
    return prefs


def slot_preference_get(*, preference_id: int) -> ScheduleSlotPreference | None:
    return ScheduleSlotPreference.objects.select_related("team").filter(pk=preference_id).first()


def support_teams_all() -> QuerySet[SupportTeam]:
    return SupportTeam.objects.order_by("name")


def support_team_get(*, team_id: int) -> SupportTeam | None:
    return SupportTeam.objects.filter(pk=team_id).first()


def calendar_feed_token_find(*, token: str) -> CalendarFeedToken | None:
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeedToken.objects.filter(token_hash=hash_token(token), user__is_active=True)
        .select_related("user")
        .first()
    )


def calendar_feed_of(*, user) -> CalendarFeedToken | None:
    """The person's feed (its secret is not kept), or None if they never made one."""
    return CalendarFeedToken.objects.filter(user=user).first()


def slots_for_feed(*, team_id: int | None = None, now: dt.datetime | None = None):
    """Slots for an ICS feed: 30 days back through the generated horizon."""
    now = now or timezone.now()
    slots = slots_live().filter(
        start__gte=now - dt.timedelta(days=30),
        start__lt=now + dt.timedelta(days=settings.SLOT_HORIZON_DAYS + 1),
    )
    if team_id is not None:
        slots = slots.filter(team_id=team_id)
    return slots.order_by("start", "pk")
