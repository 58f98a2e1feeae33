"""Moments spelled out in Python, as the templates' ``date`` filter prints them.

Django's ``date`` filter parses its format and looks its settings up on every
call; on a list of 50 rows that was more than the rest of a row (issue #17).
"""

from __future__ import annotations

from django.utils.dates import MONTHS_3
from django.utils.timezone import localtime
from django.utils.translation import gettext


def datetime_text(value) -> str:
    """What ``{{ value|date:"M j, Y g:i A" }}`` prints (e.g. "Nov 30, 2026 3:05 PM"),
    in the current time zone; "" for no value, like the filter."""
    if value is None:
        return ""
    local = localtime(value)
    hour = local.hour
    return (
        f"{MONTHS_3[local.month].title()} {local.day}, {local.year} "
        f"{hour % 12 or 12}:{local.minute:02d} {gettext('AM') if hour < 12 else gettext('PM')}"
    )


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
