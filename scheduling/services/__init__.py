"""Writes for slots, slot preferences, bookings, closure days and feed tokens.

One module per concern; every name stays importable from ``scheduling.services``.
Booking never double-books: see ``bookings``.
"""

from .bookings import (
    ALREADY_BOOKED_MESSAGE,
    GENERIC_SLOT_MINUTES,
    booking_cancel,
    booking_create,
    booking_create_generic,
    booking_reschedule,
)
from .closures import closure_day_save, closure_day_set, closure_days_delete
from .feeds import calendar_feed_create, calendar_feed_revoke, new_feed_token
from .preferences import (
    slot_preference_create,
    slot_preference_deactivate,
    slot_preference_update,
)
from .slots import (
    ONE_OFF_CAPACITY,
    ONE_OFF_DURATION_MINUTES,
    ONE_OFF_EARLIEST_START,
    ONE_OFF_LATEST_START,
    SlotDeletion,
    slot_create_one_off,
    slot_delete,
    slots_generate,
)

__all__ = [
    "ALREADY_BOOKED_MESSAGE",
    "GENERIC_SLOT_MINUTES",
    "ONE_OFF_CAPACITY",
    "ONE_OFF_DURATION_MINUTES",
    "ONE_OFF_EARLIEST_START",
    "ONE_OFF_LATEST_START",
    "SlotDeletion",
    "booking_cancel",
    "booking_create",
    "booking_create_generic",
    "booking_reschedule",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "closure_day_save",
    "closure_day_set",
    "closure_days_delete",
    "new_feed_token",
    "slot_create_one_off",
    "slot_delete",
    "slot_preference_create",
    "slot_preference_deactivate",
    "slot_preference_update",
    "slots_generate",
]
