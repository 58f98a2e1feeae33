"""What one measured page is: who opens it, how to reach it, how its rows grow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from accounts.roles import Role


@dataclass(frozen=True)
class Page:
    """``setup(ctx)`` -> url; ``grow(ctx, n)`` adds n rows of what the page shows.

    ``ctx`` holds ``org`` (an organization), ``coordinator`` (one of its
    coordinators), ``user`` (who opens the page) and what ``setup`` keeps there.
    ``cold``: the page caches what it computes (dashboards, status counts), so
    the cache is cleared before each measured request and the count is the
    uncached one. ``shows_rows``: the answer grows with the rows (false for a
    detail endpoint that nests nothing: its growth is rows of its list).
    """

    role: Role | str
    setup: Callable
    grow: Callable
    cold: bool = False
    shows_rows: bool = True


def url(name: str, query: str = "") -> Callable:
    """A ``setup`` for a page without arguments."""
    return lambda ctx: reverse(name) + (f"?{query}" if query else "")
