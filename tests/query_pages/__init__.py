"""The list and detail pages (and API list/detail endpoints) whose query counts
``tests/test_query_counts.py`` compares with ``tests/query_counts.json``, one
module per area. A new list or detail page adds its ``Page`` to its area's
``PAGES``; the test fails for a page URL with neither a ``Page`` nor a reason in
``NOT_LIST_PAGES``."""

from tests.query_pages import api, operations, orders, refresh, reports, scheduling
from tests.query_pages.base import Page

PAGES: dict[str, Page] = {
    **orders.PAGES,
    **refresh.PAGES,
    **scheduling.PAGES,
    **reports.PAGES,
    **operations.PAGES,
    **api.PAGES,
}

__all__ = ["PAGES", "Page"]
