"""Keyset pagination for the order lists (newest first: ``-created_at, -id``).

"Next" and "Previous" links carry the edge row's sort key (``after`` /
``before``), so the page they lead to is an index range scan from there: page
4,000 reached by its links costs what page 1 costs. A page typed by number
alone still works; its keys are read with OFFSET over the sort index only.
The rows themselves are joined and read for the page's keys only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from math import ceil

from django.db.models import Q, QuerySet
from django.utils.http import urlencode

# Query parameters that say where a page starts (never kept in filter links).
PAGE_PARAMS = ("page", "after", "before")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def cursor(row: dict) -> str:
    """A row's place in the sort: microseconds since the epoch, and the id."""
    micros = (row["created_at"] - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}_{row['pk']}"


def _parse_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    try:
        micros, pk = (int(part) for part in (value or "").split("_"))
        return _EPOCH + dt.timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        return None


def page_numbers(params, *, count: int, per_page: int) -> tuple[int, int]:
    """(the page asked for, clamped to the pages there are; how many pages)."""
    num_pages = max(1, ceil(count / per_page))
    try:
        number = int(params.get("page"))
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), num_pages), num_pages


def page_window(
    keys: QuerySet, *, params, number: int, per_page: int, count: int | None = None
) -> QuerySet:
    """The keys of page ``number`` of ``keys`` (sorted newest first), from the
    link's cursor when it carries one. A page typed by number past the middle is
    read from the oldest end (a backward scan of the same index skips fewer rows)
    when ``count`` (the list's total) is given."""
    after, before = _parse_cursor(params.get("after")), _parse_cursor(params.get("before"))
    if number == 1:
        return keys[:per_page]
    if after:
        stamp, pk = after
        return keys.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))[:per_page]
    if before:
        stamp, pk = before
        newer = keys.filter(Q(created_at__gt=stamp) | Q(created_at=stamp, pk__gt=pk))
        return newer.order_by("created_at", "id")[:per_page]
    bottom = (number - 1) * per_page
    if count is not None and bottom > count // 2:
        from_end = max(count - bottom - per_page, 0)
        return keys.reverse()[from_end : from_end + min(per_page, count - bottom)]
    return keys[bottom : bottom + per_page]


def page_links(rows: list[dict], *, params, number: int, num_pages: int) -> tuple[str, str]:
    """The query strings of the Previous and Next links ("" when there is none)."""
    base = filters_querystring_dict(params)
    previous = following = ""
    if rows and number > 1:
        back = {"page": number - 1}
        if number > 2:
            back["before"] = cursor(rows[0])
        previous = urlencode({**base, **back})
    if rows and number < num_pages:
        following = urlencode({**base, "page": number + 1, "after": cursor(rows[-1])})
    return previous, following


@dataclass
class KeyedPage:
    """The shown rows (dicts) and what the pagination links need."""

    rows: list[dict]
    number: int
    count: int
    num_pages: int
    previous_query: str = ""
    next_query: str = ""


def keyed_page(keys: QuerySet, *, params, count: int, per_page: int, fields) -> KeyedPage:
    """The page ``params`` asks for of ``keys`` (a ``-created_at, -id`` ordered
    queryset of the list's filters, primary keys only): the window's keys, then the
    ``fields`` of those rows alone, and the Previous/Next links."""
    number, num_pages = page_numbers(params, count=count, per_page=per_page)
    window = page_window(keys, params=params, number=number, per_page=per_page, count=count)
    rows = list(
        keys.model._default_manager.filter(pk__in=window.values("pk"))
        .order_by("-created_at", "-id")
        .values(*fields)
    )
    previous, following = page_links(rows, params=params, number=number, num_pages=num_pages)
    return KeyedPage(rows, number, count, num_pages, previous, following)


def filters_querystring_dict(params) -> dict:
    return {k: v for k, v in params.items() if k not in PAGE_PARAMS and v}


def filters_querystring(params) -> str:
    """The list's filters as a query string (what export and filter links keep)."""
    return urlencode(filters_querystring_dict(params))
