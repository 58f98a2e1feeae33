"""Moments as the pages print them, spelled out in Python.

Django's ``date`` filter looks its format settings up and parses the format on
every call; a page printing dozens of times (timelines) spent more there than on
the rest of each entry or row (issue #17). ``when`` and ``datetime_text``
print the same text, ``moment_printer`` the same again for many moments of one
request; ``day_time_text`` and ``clock_text`` the lists' shorter formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.dates import MONTHS_3
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import gettext


@dataclass(frozen=True, slots=True)
class When:
    """A moment as ``<time datetime="{{ iso }}">{{ text }}</time>`` prints it."""

    iso: str
    text: str


def stamp_text(local: datetime) -> str:
    """What ``|date:"M j, Y g:i A"`` prints (e.g. "Nov 30, 2026 3:05 PM") for a
    moment already in the time zone to show (Django's ``M``, ``g`` and ``A``
    spelled out: its format parser cost more than the rest of an entry)."""
    hour = local.hour
    return (
        f"{MONTHS_3[local.month].title()} {local.day}, {local.year} "
        f"{hour % 12 or 12}:{local.minute:02d} {gettext('AM') if hour < 12 else gettext('PM')}"
    )


def when(value) -> When:
    """What ``|date:'c'`` and ``|date:"M j, Y g:i A"`` print, in the current time zone."""
    local = localtime(value)
    return When(iso=local.isoformat(), text=stamp_text(local))


def date_text(value) -> str:
    """What ``|date:"M j, Y"`` prints for a date; "" for none."""
    if value is None:
        return ""
    return f"{MONTHS_3[value.month].title()} {value.day}, {value.year}"


def datetime_text(value) -> str:
    """``stamp_text`` in the current time zone; "" for no value, like the filter."""
    return "" if value is None else stamp_text(localtime(value))


def day_time_text(value, *, seconds: bool = False) -> str:
    """What ``|date:"M j, H:i"`` (``"M j, H:i:s"`` with ``seconds``) prints, in the
    current time zone; "" for no value."""
    if value is None:
        return ""
    local = localtime(value)
    text = f"{MONTHS_3[local.month].title()} {local.day}, {local.hour:02d}:{local.minute:02d}"
    return f"{text}:{local.second:02d}" if seconds else text


def clock_text(value) -> str:
    """What ``|date:"H:i:s"`` prints, in the current time zone; "" for no value."""
    if value is None:
        return ""
    local = localtime(value)
    return f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}"


def moment_printer() -> Callable[[datetime], When]:
    """``when`` for the many moments of one page: the time zone, month names and
    AM/PM are looked up once, not per moment (each lookup goes through the
    translation machinery; for a page of 60 entries that was most of the cost).
    Call it once per request: the language and time zone are the request's."""
    zone = get_current_timezone()
    am, pm = gettext("AM"), gettext("PM")
    months: dict[int, str] = {}

    def at(value: datetime) -> When:
        local = value.astimezone(zone)
        month = months.get(local.month)
        if month is None:
            month = months[local.month] = MONTHS_3[local.month].title()
        hour = local.hour
        return When(
            iso=local.isoformat(),
            text=f"{month} {local.day}, {local.year} "
            f"{hour % 12 or 12}:{local.minute:02d} {am if hour < 12 else pm}",
        )

    return at
