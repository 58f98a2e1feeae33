"""Slot preferences: the weekly patterns slots are generated from."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import SupportTeam
from common.services import model_update

from ..models import ScheduleSlotPreference

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
