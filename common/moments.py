"""Moments as the pages print them, spelled out in Python.

Django's ``date`` filter looks its format settings up and parses the format on
every call; a page printing dozens of times (timelines) spent more there than on
the rest of each entry (issue #17). ``when`` prints the same text, and
``moment_printer`` the same again for many moments of one request.
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


def when(value) -> When:
    """What ``|date:'c'`` and ``|date:"M j, Y g:i A"`` print, in the current time zone
    (Django's ``M``, ``g`` and ``A`` spelled out: its format parser cost more than the
    rest of an entry)."""
    local = localtime(value)
    hour = local.hour
    text = (
        f"{MONTHS_3[local.month].title()} {local.day}, {local.year} "
        f"{hour % 12 or 12}:{local.minute:02d} {gettext('AM') if hour < 12 else gettext('PM')}"
    )
    return When(iso=local.isoformat(), text=text)


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
