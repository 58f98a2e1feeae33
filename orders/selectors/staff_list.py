"""One page of the staff order manager's lists, at a cost that does not grow
with the table (issue #17); access is checked here (deny by default).

A page is two queries whatever its depth: the shown orders with the names the
list prints (their keys picked by a subquery through the sort index, the joins
made for those 25 rows only), then the step each of them waits on. Django
compiles few and small statements (compiling SQL is most of a list's Python
time), and the rows come back as plain values, not model instances.

Deep pages: the "Next" and "Previous" links carry the edge row's sort key
(``after``/``before``), so the keys are an index range scan from there
(keyset pagination) and page 4,000 costs what page 1 costs. A page typed by
number alone still works: its keys are read with OFFSET over the index only.

The totals are cached per filter (``common.pagination.cached_value``) and
dropped on every audited order write (``orders.services._core.order_counts_changed``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from math import ceil

from django.db.models import Q, QuerySet
from django.utils.http import urlencode

from common.pagination import cached_value
from orders.choices import FINISHED_ACTION_STATUSES
from orders.models import Order, OrderAction
from orders.roles import can_work_orders

from .staff import ORDERS_COUNTS, waiting_on_step

# What each shown row needs, read as values (the joins are LEFT OUTER but for
# the organization; only the shown rows are joined).
ROW_FIELDS = (
    "pk",
    "number",
    "order_type",
    "status",
    "priority",
    "planned_completion_date",
    "created_at",
    "new_full_name",
    "organization__name",
    "owner__full_name",
    "owner__email",
    "existing_user_id",
    "existing_user__full_name",
    "existing_user__email",
    "existing_placeholder_id",
    "existing_placeholder__name",
)
# Query parameters that say where a page starts (never kept in filter links).
PAGE_PARAMS = ("page", "after", "before")


@dataclass(frozen=True)
class OrderFilters:
    """What narrows the list: the filter form's fields and the queue page's step."""

    queue_id: int | None = None
    status: str = ""
    search: str = ""
    step: int = 0
    owner_id: int | None = None

    def cache_key(self) -> str:
        digest = hashlib.sha256(self.search.strip().encode()).hexdigest()[:24]
        parts = (self.queue_id or "", self.status, self.step, self.owner_id or "", digest)
        return "list|" + "|".join(str(part) for part in parts)


@dataclass
class OrderListPage:
    """The shown rows (dicts of ``ROW_FIELDS`` plus ``waiting``: the unfinished
    step the order waits on, or None) and what the pagination links need."""

    rows: list[dict]
    number: int
    count: int
    num_pages: int
    previous_query: str = ""
    next_query: str = ""


def staff_order_keys(*, user, filters: OrderFilters) -> QuerySet[Order]:
    """The list's orders, filtered and sorted (newest first), nothing joined or
    annotated but what a search needs: every filter walks one of the
    ``(filter, -created_at, -id)`` indexes."""
    if not can_work_orders(user):
        return Order.objects.none()
    qs = Order.objects.all()
    if filters.queue_id:
        qs = qs.filter(queue_id=filters.queue_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.step:
        qs = qs.filter(waiting_on_step(filters.step))
    search = filters.search.strip()
    if search:
        match = (
            Q(organization__name__icontains=search)
            | Q(new_full_name__icontains=search)
            | Q(new_username__icontains=search)
            | Q(new_email__icontains=search)
            | Q(existing_user__full_name__icontains=search)
            | Q(existing_user__email__icontains=search)
            | Q(submitted_by__full_name__icontains=search)
            | Q(workstation__icontains=search)
        )
        if search.isdigit():
            match |= Q(number=int(search))
        qs = qs.filter(match)
    return qs.order_by("-created_at", "-id")


def _cursor(row: dict) -> str:
    """A row's place in the sort: microseconds since the epoch and the id."""
    stamp = row["created_at"].astimezone(dt.UTC)
    micros = (stamp - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    return f"{micros}_{row['pk']}"


def _parse_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    try:
        micros, pk = (int(part) for part in (value or "").split("_"))
        stamp = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)
    except (ValueError, OverflowError):
        return None
    return stamp, pk


def _page_number(value, num_pages: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def _waiting_steps(keys: list[int]) -> dict[int, dict]:
    """The first unfinished action of each order of ``keys`` (one query)."""
    waiting: dict[int, dict] = {}
    for action in (
        OrderAction.objects.filter(order_id__in=keys or [0])
        .exclude(status__in=FINISHED_ACTION_STATUSES)
        .order_by("order_id", "position")
        .values("order_id", "name", "position", "status")
    ):
        waiting.setdefault(action["order_id"], action)
    return waiting


def staff_orders_list_page(
    *, user, filters: OrderFilters, params: dict, per_page: int
) -> OrderListPage:
    """The page ``params`` asks for (``page``, and ``after`` or ``before`` from a
    pagination link) of the orders ``filters`` select: two queries, plus one for
    the count when it is not cached."""
    keys = staff_order_keys(user=user, filters=filters)
    count = cached_value(ORDERS_COUNTS, filters.cache_key(), keys.count)
    num_pages = max(1, ceil(count / per_page))
    number = _page_number(params.get("page"), num_pages)
    after, before = _parse_cursor(params.get("after")), _parse_cursor(params.get("before"))
    if number == 1:
        window = keys[:per_page]
    elif after:
        stamp, pk = after
        window = keys.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))[:per_page]
    elif before:
        stamp, pk = before
        window = keys.filter(Q(created_at__gt=stamp) | Q(created_at=stamp, pk__gt=pk)).order_by(
            "created_at", "id"
        )[:per_page]
    else:
        bottom = (number - 1) * per_page
        window = keys[bottom : bottom + per_page]
    rows = list(
        Order.objects.filter(pk__in=window.values("pk"))
        .order_by("-created_at", "-id")
        .values(*ROW_FIELDS)
    )
    waiting = _waiting_steps([row["pk"] for row in rows])
    for row in rows:
        row["waiting"] = waiting.get(row["pk"])
    base = {k: v for k, v in params.items() if k not in PAGE_PARAMS and v}
    page = OrderListPage(rows=rows, number=number, count=count, num_pages=num_pages)
    if rows and number > 1:
        previous = {"page": number - 1}
        if number > 2:
            previous["before"] = _cursor(rows[0])
        page.previous_query = urlencode({**base, **previous})
    if rows and number < num_pages:
        page.next_query = urlencode({**base, "page": number + 1, "after": _cursor(rows[-1])})
    return page


def staff_orders_querystring(params: dict) -> str:
    """The list's filters as a query string (what export and filter links keep)."""
    return urlencode({k: v for k, v in params.items() if k not in PAGE_PARAMS and v})
