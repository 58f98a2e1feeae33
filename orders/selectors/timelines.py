"""The order pages' timelines (messages, history, emails), a page at a time.

An order's page shows the newest entries of each timeline and links to older
ones ("show older", plain links that work without JavaScript), so the page
costs the same whatever the order's history holds: one query per timeline
(a page and one more row, to know whether older entries exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

TIMELINE_SIZE = 10


@dataclass
class TimelinePage:
    """``entries`` of page ``number`` (1: the newest), in the order they are shown."""

    entries: list
    number: int
    has_older: bool
    # The "show older" / "show newer" links (set by the page that shows it).
    older_url: str = ""
    newer_url: str = ""
    # The entries printed (``orders.views.timeline_html``), where the page prints them so.
    html: str = ""

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def timeline_page(
    newest_first: QuerySet, *, page=None, size: int = TIMELINE_SIZE, oldest_first: bool = False
) -> TimelinePage:
    """Page ``page`` (a number from the URL; anything else is 1) of a timeline sorted
    newest first; ``oldest_first`` shows the page's entries in reading order."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(newest_first[start : start + size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    if oldest_first:
        rows.reverse()
    return TimelinePage(entries=rows, number=number, has_older=has_older)
