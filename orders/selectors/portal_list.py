"""One page of the coordinator's order list, at a cost that does not grow with
the table (issue #17): the page's keys through the sort index (keyset links,
``paging``), the shown orders joined and read as values, the count cached."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet

from common.pagination import cached_value
from orders.models import Order

from .paging import page_links, page_numbers, page_window
from .portal import orders_for_portal
from .staff import ORDERS_COUNTS

PORTAL_ROW_FIELDS = (
    "pk",
    "number",
    "order_type",
    "status",
    "created_at",
    "new_full_name",
    "organization__name",
    "submitted_by__full_name",
    "submitted_by__email",
    "existing_user_id",
    "existing_user__full_name",
    "existing_user__email",
    "existing_placeholder_id",
    "existing_placeholder__name",
)


@dataclass
class PortalListPage:
    rows: list[dict]
    number: int
    count: int
    num_pages: int
    previous_query: str = ""
    next_query: str = ""


def _count(keys) -> int:
    """The orders ``keys`` selects, cached under its SQL (which holds the visible
    organizations), dropped with the other order totals on every audited write."""
    try:
        sql, params = keys.query.sql_with_params()
    except EmptyResultSet:
        return 0
    return cached_value(ORDERS_COUNTS, f"portal|{sql}|{params!r}", keys.count)


def orders_for_portal_page(*, user, status: str, params, per_page: int) -> PortalListPage:
    """The page ``params`` asks for of the orders ``user`` sees (``orders_for_portal``):
    one query for the rows, one for the count when it is not cached."""
    keys = orders_for_portal(user=user, status=status).select_related(None).only("pk")
    count = _count(keys)
    number, num_pages = page_numbers(params, count=count, per_page=per_page)
    window = page_window(keys, params=params, number=number, per_page=per_page, count=count)
    rows = list(
        Order.objects.filter(pk__in=window.values("pk"))
        .order_by("-created_at", "-id")
        .values(*PORTAL_ROW_FIELDS)
    )
    previous, following = page_links(rows, params=params, number=number, num_pages=num_pages)
    return PortalListPage(
        rows=rows,
        number=number,
        count=count,
        num_pages=num_pages,
        previous_query=previous,
        next_query=following,
    )
