"""Writes for slots, slot preferences, bookings and feed tokens.

Booking never double-books: a slot's ``booked_count`` only grows through one
conditional UPDATE (``booked_count < capacity``), the database refuses a count
above capacity, and it allows one active booking per booked object.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import SupportTeam
from common.services import model_update
from notifications.links import hash_token

from .calendar import business_calendar, invalidate_business_calendar, local_today
from .exceptions import SlotUnavailable
from .models import (
    Booking,
    CalendarFeedToken,
    ClosureDay,
    GeneratedDay,
    ScheduleSlot,
    ScheduleSlotPreference,
)
from .models import _new_feed_token as new_feed_token

ALREADY_BOOKED_MESSAGE = "This already has an appointment. Reschedule it instead of booking again."


# --- bookings -----------------------------------------------------------------
def _booked_key(obj) -> tuple[ContentType, str]:
    if obj is None or obj.pk is None:
        raise ValueError("Only a saved object can be booked.")
    return ContentType.objects.get_for_model(obj), str(obj.pk)


@transaction.atomic
def booking_create(*, slot_id: int, booked_object, booked_by=None) -> Booking:
    """Book one place in the slot for ``booked_object``.

    Takes a place only while the slot is not deleted, not started and has free
    capacity, in one conditional UPDATE, so concurrent attempts never exceed
    capacity. Raises ``SlotUnavailable`` when no place was left and
    ``ValidationError`` when the object already has an active booking (use
    ``booking_reschedule``).
    """
    booked_type, booked_id = _booked_key(booked_object)
    if Booking.objects.filter(
        booked_type=booked_type, booked_id=booked_id, cancelled_at__isnull=True
    ).exists():
        raise ValidationError(ALREADY_BOOKED_MESSAGE)
    taken = ScheduleSlot.objects.filter(
        pk=slot_id,
        deleted_at__isnull=True,
        start__gt=timezone.now(),
        booked_count__lt=F("capacity"),
    ).update(booked_count=F("booked_count") + 1)
    if not taken:
        raise SlotUnavailable()
    try:
        with transaction.atomic():
            return Booking.objects.create(
                slot_id=slot_id,
                booked_type=booked_type,
                booked_id=booked_id,
                booked_by=booked_by,
            )
    except IntegrityError as exc:
        # Two requests for the same object at once: the partial unique index won.
        raise ValidationError(ALREADY_BOOKED_MESSAGE) from exc


GENERIC_SLOT_MINUTES = 30


@transaction.atomic
def booking_create_generic(*, team: SupportTeam, day: dt.date, booked_object, booked_by=None):
    """Book ``booked_object`` on the team's generic 12:00 AM slot of ``day``.

    For deliveries without a customer (Otto's generic slot): the slot is created
    if missing, is never offered to customers (``slots_bookable`` and free
    capacity leave it out) and grows by one place per booking, so it never takes
    capacity from customer slots. Raises ``ValidationError`` when the object
    already has an active booking.
    """
    booked_type, booked_id = _booked_key(booked_object)
    if Booking.objects.filter(
        booked_type=booked_type, booked_id=booked_id, cancelled_at__isnull=True
    ).exists():
        raise ValidationError(ALREADY_BOOKED_MESSAGE)
    start = business_calendar().at(day, dt.time(0, 0))
    slot = ScheduleSlot.objects.filter(team=team, start=start, generic=True).first()
    if slot is None:
        try:
            with transaction.atomic():
                slot = ScheduleSlot.objects.create(
                    team=team,
                    start=start,
                    end=start + dt.timedelta(minutes=GENERIC_SLOT_MINUTES),
                    capacity=0,
                    generic=True,
                    location_note="No customer: generic delivery slot",
                )
        except IntegrityError:
            slot = ScheduleSlot.objects.get(team=team, start=start, generic=True)
    ScheduleSlot.objects.filter(pk=slot.pk).update(
        capacity=F("capacity") + 1, booked_count=F("booked_count") + 1
    )
    return Booking.objects.create(
        slot=slot, booked_type=booked_type, booked_id=booked_id, booked_by=booked_by
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, by=None, reason: str = "") -> Booking:
    """Cancel an active booking and give its place back to the slot.

    The booking row stays for history. Cancelling a cancelled booking changes
    nothing.
    """
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.cancelled_at is not None:
        return locked
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = by
    locked.cancel_reason = reason[:200]
    locked.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    ScheduleSlot.objects.filter(pk=locked.slot_id, booked_count__gt=0).update(
        booked_count=F("booked_count") - 1
    )
    booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = (
        locked.cancelled_at,
        locked.cancelled_by,
        locked.cancel_reason,
    )
    return locked


@transaction.atomic
def booking_reschedule(*, booking: Booking, new_slot_id: int, by=None) -> Booking:
    """Move an active booking to another slot: release and rebook in one transaction.

    If the new slot has no place left, ``SlotUnavailable`` is raised and the old
    booking stays exactly as it was.
    """
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.cancelled_at is not None:
        raise ValidationError("This booking was cancelled; book a new slot instead.")
    if locked.slot_id == new_slot_id:
        return locked
    booking_cancel(booking=locked, by=by, reason="Rescheduled")
    return booking_create(slot_id=new_slot_id, booked_object=locked.booked_object, booked_by=by)


# --- slots ----------------------------------------------------------------------
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


# --- slot preferences -----------------------------------------------------------
_PREFERENCE_FIELDS = (
    "weekday",
    "start_time",
    "duration_minutes",
    "capacity",
    "location_note",
    "active",
)


def _preference_check(*, duration_minutes: int | None, capacity: int | None) -> None:
    if duration_minutes is None or duration_minutes <= 0:
        raise ValidationError("The duration must be at least one minute.")
    if capacity is None or capacity <= 0:
        raise ValidationError("The capacity must be at least 1.")


@transaction.atomic
def slot_preference_create(
    *,
    team: SupportTeam,
    weekday: int,
    start_time: dt.time,
    duration_minutes: int = 60,
    capacity: int = 2,
    location_note: str = "",
    active: bool = True,
) -> ScheduleSlotPreference:
    """Add a weekly slot pattern; it shows in days generated from now on."""
    pref = ScheduleSlotPreference(
        team=team,
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        capacity=capacity,
        location_note=location_note,
        active=active,
    )
    _preference_check(duration_minutes=duration_minutes, capacity=capacity)
    pref.save()
    return pref


@transaction.atomic
def slot_preference_update(
    *, preference: ScheduleSlotPreference, by=None, **changes
) -> ScheduleSlotPreference:
    """Change a weekly pattern; days already generated keep their slots as they are.

    Only fields that differ are saved. Raises ``ValidationError`` for a
    duration or capacity below one (nothing is saved then).
    """
    unknown = set(changes) - set(_PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown preference fields: {', '.join(sorted(unknown))}")
    _preference_check(
        duration_minutes=changes.get("duration_minutes", preference.duration_minutes),
        capacity=changes.get("capacity", preference.capacity),
    )
    model_update(instance=preference, data=changes, actor=by)
    return preference


def slot_preference_deactivate(*, preference: ScheduleSlotPreference) -> ScheduleSlotPreference:
    """Stop generating slots from this pattern (existing slots stay)."""
    return slot_preference_update(preference=preference, active=False)


# --- closure days -----------------------------------------------------------------
def _closures_changed() -> None:
    """Make every process rebuild its business calendar.

    Now, so this transaction sees the change; again after commit, so another
    process that rebuilt meanwhile from the old committed rows rebuilds again.
    """
    invalidate_business_calendar()
    transaction.on_commit(invalidate_business_calendar)


@transaction.atomic
def closure_day_set(*, date: dt.date, name: str, open: bool = False) -> ClosureDay:  # noqa: A002
    """Close (or, with ``open=True``, open) a date in the business calendar."""
    closure, _ = ClosureDay.objects.update_or_create(
        date=date, defaults={"name": name, "open": open}
    )
    _closures_changed()
    return closure


@transaction.atomic
def closure_day_save(*, closure: ClosureDay) -> ClosureDay:
    """Save a closure day edited in a form (the admin) and refresh the calendar."""
    closure.save()
    _closures_changed()
    return closure


@transaction.atomic
def closure_days_delete(*, closures) -> int:
    """Delete the given closure days (a queryset or a list); the dates follow the calendar again."""
    ids = [c.pk for c in closures]
    deleted, _ = ClosureDay.objects.filter(pk__in=ids).delete()
    _closures_changed()
    return deleted


# --- feed tokens ------------------------------------------------------------------
@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """Make the person's calendar feed secret and return it (the only time it is known).

    Stored hashed; an earlier secret stops working (calendars subscribed with it
    stop updating).
    """
    token = new_feed_token()
    CalendarFeedToken.objects.filter(user=user).delete()
    CalendarFeedToken.objects.create(user=user, token_hash=hash_token(token))
    return token


def calendar_feed_revoke(*, user) -> bool:
    """Turn the person's feed off; True if there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return bool(deleted)
