"""One page of the coordinator's order list, at a cost that does not grow with
the table (issue #17): the page's keys through the sort index (keyset links,
``paging``), the shown orders joined and read as values, the count cached."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet

from common.pagination import cached_value

from .paging import KeyedPage, keyed_page
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


# The portal list's page: the rows (dicts of ``PORTAL_ROW_FIELDS``) and its links.
PortalListPage = KeyedPage


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
    return keyed_page(keys, params=params, count=count, per_page=per_page, fields=PORTAL_ROW_FIELDS)
