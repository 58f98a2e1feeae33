"""Moments as the pages print them, spelled out in Python.

Django's ``date`` filter looks its format settings up and parses the format on
every call; a page printing dozens of times (timelines) spent more there than on
the rest of each entry (issue #17). ``when`` prints the same text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.dates import MONTHS_3
from django.utils.timezone import localtime
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
