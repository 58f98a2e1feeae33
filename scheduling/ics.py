"""iCalendar output: one booking as an email attachment, and slot feeds to subscribe to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Booking, ScheduleSlot

PRODID = "-//Handover//Scheduling//EN"


def _uid_domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "handover"


def _calendar(*, method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def booking_ics(
    *, booking: Booking, summary: str, description: str, attendee_email: str | None = None
) -> str:
    """An iCalendar invite for one booking (attach it to an email as text/calendar).

    A cancelled booking produces a cancellation for the same UID, so calendars
    that imported the invite remove it.
    """
    slot = booking.slot
    cancelled = booking.cancelled_at is not None
    cal = _calendar(method="CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{_uid_domain()}")
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(slot.start))
    event.add("dtend", _utc(slot.end))
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if slot.location_note:
        event.add("location", slot.location_note)
    organizer = vCalAddress(f"mailto:{_mail_address(settings.DEFAULT_FROM_EMAIL)}")
    organizer.params["cn"] = vText(settings.SITE_NAME)
    event.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical().decode()


def _mail_address(value: str) -> str:
    if "<" in value and ">" in value:
        return value.split("<", 1)[1].split(">", 1)[0].strip()
    return value.strip()


def slots_feed_ics(*, slots: Iterable[ScheduleSlot], name: str) -> str:
    """A subscribable calendar of slots with their booked and free places.

    ``slots`` should come from ``selectors.slots_for_feed`` (team selected).
    """
    cal = _calendar(name=name)
    cal.add("refresh-interval;value=duration", "PT1H")
    cal.add("x-published-ttl", "PT1H")
    stamp = _utc(timezone.now())
    domain = _uid_domain()
    for slot in slots:
        event = Event()
        event.add("uid", f"slot-{slot.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(slot.start))
        event.add("dtend", _utc(slot.end))
        event.add(
            "summary",
            f"{slot.team.name}: {slot.booked_count}/{slot.capacity} booked",
        )
        lines = [f"Free places: {slot.free}"]
        if slot.location_note:
            lines.append(slot.location_note)
            event.add("location", slot.location_note)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT" if slot.booked_count == 0 else "OPAQUE")
        cal.add_component(event)
    return cal.to_ical().decode()


def bookings_feed_ics(*, entries: Iterable[tuple[Booking, str, str]], name: str) -> str:
    """A subscribable calendar of bookings, each with its own summary and description
    (``entries`` are ``(booking, summary, description)``; the booking's slot selected)."""
    cal = _calendar(name=name)
    cal.add("refresh-interval;value=duration", "PT1H")
    cal.add("x-published-ttl", "PT1H")
    stamp = _utc(timezone.now())
    domain = _uid_domain()
    for booking, summary, description in entries:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(booking.slot.start))
        event.add("dtend", _utc(booking.slot.end))
        event.add("summary", summary)
        event.add("description", description)
        if booking.slot.location_note:
            event.add("location", booking.slot.location_note)
        cal.add_component(event)
    return cal.to_ical().decode()
