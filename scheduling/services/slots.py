"""Slots: generation from weekly preferences, one-off slots, deletion."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import SupportTeam

from ..calendar import business_calendar, local_today
from ..models import Booking, GeneratedDay, ScheduleSlot, ScheduleSlotPreference
from .bookings import booking_cancel


def _slot_bounds(day: dt.date, start_time: dt.time, minutes: int, tz) -> tuple:
    start = dt.datetime.combine(day, start_time, tzinfo=tz)
    return start, start + dt.timedelta(minutes=minutes)


def slots_generate(*, today: dt.date | None = None, team_ids=None) -> int:
    """Create slots from active preferences for every business day not generated yet.

    Covers each business day from ``today`` through ``today + SLOT_HORIZON_DAYS``
    for every team with an active preference. A (team, day) is generated once
    (``GeneratedDay``): deleted slots are not recreated and preference changes
    only reach new days. Bulk inserts that ignore conflicts plus unique
    constraints make two runs at once harmless. Returns the number of slots
    planned for the newly generated days.
    """
    today = today or local_today()
    horizon = today + dt.timedelta(days=settings.SLOT_HORIZON_DAYS)
    calendar = business_calendar()
    days = calendar.business_days_between(today, horizon)
    if not days:
        return 0

    prefs = ScheduleSlotPreference.objects.filter(active=True).order_by("team_id", "start_time")
    if team_ids is not None:
        prefs = prefs.filter(team_id__in=list(team_ids))
    by_team: dict[int, dict[int, list[ScheduleSlotPreference]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pref in prefs:
        by_team[pref.team_id][pref.weekday].append(pref)
    if not by_team:
        return 0

    done = set(
        GeneratedDay.objects.filter(
            team_id__in=list(by_team), date__gte=days[0], date__lte=days[-1]
        ).values_list("team_id", "date")
    )
    new_days: list[GeneratedDay] = []
    new_slots: list[ScheduleSlot] = []
    for team_id, weekly in by_team.items():
        for day in days:
            if (team_id, day) in done:
                continue
            new_days.append(GeneratedDay(team_id=team_id, date=day))
            for pref in weekly.get(day.weekday(), ()):
                start, end = _slot_bounds(day, pref.start_time, pref.duration_minutes, calendar.tz)
                new_slots.append(
                    ScheduleSlot(
                        team_id=team_id,
                        start=start,
                        end=end,
                        capacity=pref.capacity,
                        location_note=pref.location_note,
                        preference=pref,
                    )
                )
    with transaction.atomic():
        GeneratedDay.objects.bulk_create(new_days, ignore_conflicts=True, batch_size=1000)
        ScheduleSlot.objects.bulk_create(new_slots, ignore_conflicts=True, batch_size=1000)
    return len(new_slots)


# Bounds of a one-off slot (a form error, never a 500).
ONE_OFF_CAPACITY = (1, 50)
ONE_OFF_DURATION_MINUTES = (15, 480)
ONE_OFF_EARLIEST_START = dt.time(5, 0)
ONE_OFF_LATEST_START = dt.time(18, 0)


def _closed_day_reason(calendar, day: dt.date) -> str:
    """Why ``day`` is closed ("" when it is a business day)."""
    if calendar.is_business_day(day):
        return ""
    if calendar.closures.get(day) is False:
        return "a closure day"
    holiday = calendar.holiday_name(day)
    if holiday:
        return f"a holiday ({holiday})"
    return "a weekend"


@transaction.atomic
def slot_create_one_off(
    *,
    team: SupportTeam,
    start: dt.datetime,
    duration_minutes: int = 60,
    capacity: int = 1,
    location_note: str = "",
    created_by=None,
    open_closed_day: bool = False,
) -> ScheduleSlot:
    """Add a slot by hand (not from a preference), for example an extra visit day.

    Capacity 1–50, duration 15–480 minutes, start 05:00–18:00 local, in the
    future. A weekend, holiday or closure day is refused unless
    ``open_closed_day`` says the slot admin opens it on purpose: the slot then
    shows the day as an opened exception and customers can book it. Raises
    ``ValidationError`` keyed by form field.
    """
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    calendar = business_calendar()
    local = calendar.local(start)
    errors: dict[str, str] = {}
    closed = ""
    low, high = ONE_OFF_CAPACITY
    if not low <= capacity <= high:
        errors["capacity"] = f"The capacity must be between {low} and {high}."
    low, high = ONE_OFF_DURATION_MINUTES
    if not low <= duration_minutes <= high:
        errors["duration_minutes"] = f"The duration must be between {low} and {high} minutes."
    if not ONE_OFF_EARLIEST_START <= local.time() <= ONE_OFF_LATEST_START:
        errors["start_time"] = "A slot must start between 05:00 and 18:00."
    if start <= timezone.now():
        errors["date"] = "A new slot must start in the future."
    else:
        closed = _closed_day_reason(calendar, local.date())
        if closed and not open_closed_day:
            errors["date"] = (
                f"{local:%A, %B} {local.day} is {closed}, so no slots are offered. "
                'Tick "Open this closed day" to add a slot on it anyway.'
            )
    if errors:
        raise ValidationError(errors)
    return ScheduleSlot.objects.create(
        team=team,
        start=start,
        end=start + dt.timedelta(minutes=duration_minutes),
        capacity=capacity,
        location_note=location_note,
        created_by=created_by,
        opens_closed_day=bool(closed) if open_closed_day else False,
    )


@dataclass(frozen=True)
class SlotDeletion:
    """What deleting a slot did: bookings cancelled, customers asked for a new time."""

    cancelled: int = 0
    customers_asked: int = 0


def _slot_deleted_handler(booking: Booking):
    label = f"{booking.booked_type.app_label}.{booking.booked_type.model}"
    path = getattr(settings, "SCHEDULING_SLOT_DELETED_HANDLERS", {}).get(label)
    return import_string(path) if path else None


@transaction.atomic
def slot_delete(*, slot: ScheduleSlot, by=None, cancel_bookings: bool = False) -> SlotDeletion:
    """Delete a slot so it is never shown or booked again.

    A slot with active bookings is refused unless ``cancel_bookings`` is given,
    in which case those bookings are cancelled (kept for history) first, each
    through the booked app's handler (``settings.SCHEDULING_SLOT_DELETED_HANDLERS``)
    in this same transaction: a refresh ticket goes back to its customer for a
    new time. The row itself stays so past bookings keep their time.
    """
    locked = ScheduleSlot.objects.select_for_update().get(pk=slot.pk)
    if locked.deleted_at is not None:
        return SlotDeletion()
    active = list(
        locked.bookings.filter(cancelled_at__isnull=True)
        .select_related("booked_type")
        .order_by("pk")
    )
    if active and not cancel_bookings:
        raise ValidationError(
            f"This slot has {len(active)} active booking(s). Move or cancel them first, "
            "or delete the slot and cancel its bookings."
        )
    asked = 0
    for booking in active:
        handler = _slot_deleted_handler(booking)
        if handler is not None:
            asked += bool(handler(booking=booking, by=by))
        booking_cancel(booking=booking, by=by, reason="Slot deleted")
    locked.deleted_at = timezone.now()
    locked.deleted_by = by
    locked.save(update_fields=["deleted_at", "deleted_by"])
    slot.deleted_at, slot.deleted_by = locked.deleted_at, locked.deleted_by
    return SlotDeletion(cancelled=len(active), customers_asked=asked)
