"""One page of the staff order manager's lists, at a cost that does not grow
with the table (issue #17); access is checked here (deny by default).

A page is two queries whatever its depth: the shown orders with the names the
list prints (their keys picked by a subquery through the sort index, the joins
made for those 25 rows only), then the step each of them waits on. Django
compiles few and small statements (compiling SQL is most of a list's Python
time), and the rows come back as plain values, not model instances.

Deep pages: keyset links (``paging``), so page 4,000 reached by its links
costs what page 1 costs.

The totals are cached per filter (``common.pagination.cached_value``) and
dropped on every audited order write (``orders.services._core.order_counts_changed``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from common.pagination import cached_value
from orders.choices import FINISHED_ACTION_STATUSES
from orders.models import Order, OrderAction
from orders.roles import can_work_orders

from .paging import KeyedPage, keyed_page
from .staff import ORDERS_COUNTS, order_search_q, queue_step_totals, waiting_on_step

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


# The order manager's page: the rows (dicts of ``ROW_FIELDS`` plus ``waiting``: the
# unfinished step the order waits on, or None) and its links.
OrderListPage = KeyedPage


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
        qs = qs.filter(order_search_q(search))
    return qs.order_by("-created_at", "-id")


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
    only_a_step = (
        filters.step
        and filters.queue_id
        and not (filters.status or filters.search.strip() or filters.owner_id)
    )
    if only_a_step and can_work_orders(user):
        # The queue page's step: its total is the step's count in the sidebar.
        count = queue_step_totals(queue_id=filters.queue_id).get(filters.step, 0)
    else:
        count = cached_value(ORDERS_COUNTS, filters.cache_key(), keys.count)
    page = keyed_page(keys, params=params, count=count, per_page=per_page, fields=ROW_FIELDS)
    waiting = _waiting_steps([row["pk"] for row in page.rows])
    for row in page.rows:
        row["waiting"] = waiting.get(row["pk"])
    return page
