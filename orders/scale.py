"""Bulk orders for ``manage.py seed_scale``: orders with their actions, in batches.

Rows are made with ``bulk_create`` (no services, audit rows or effects). Numbers
are taken from the counter in one block, so orders created later by people keep
unique numbers. Most orders are old and completed; open ones wait on one of
their queue's steps, as the "waiting on" column shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from accounts.scale import ScalePeople
from common.bulk import bulk_insert, bulk_load
from orders.choices import ActionKind, ActionStatus, OrderStatus, OrderType
from orders.models import (
    FIRST_ORDER_NUMBER,
    Order,
    OrderAction,
    OrderActionTemplate,
    OrderNumberCounter,
    OrderQueue,
)

STEPS = ("Create the account", "Set up the mailbox", "Tell the coordinator")
_PATTERN = (
    [OrderStatus.COMPLETED] * 13
    + [OrderStatus.CANCELLED] * 2
    + [OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.IN_PROGRESS]
    + [OrderStatus.ON_HOLD, OrderStatus.DRAFT]
)
_OPEN = (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)


@transaction.atomic
def _number_block(count: int) -> int:
    """The first of ``count`` consecutive unused order numbers."""
    counter, _ = OrderNumberCounter.objects.select_for_update().get_or_create(pk=1)
    last_used = Order.objects.order_by("-number").values_list("number", flat=True).first()
    first = max(counter.last_number, last_used or 0, FIRST_ORDER_NUMBER - 1) + 1
    counter.last_number = first + count - 1
    counter.save(update_fields=["last_number"])
    return first


def _actions(order: Order, i: int) -> list[OrderAction]:
    """The order's steps: all done when completed, none for drafts, else the
    first ``i % 3`` done and the next pending (the step it waits on)."""
    if order.status == OrderStatus.DRAFT:
        return []
    done = len(STEPS) if order.status == OrderStatus.COMPLETED else i % len(STEPS)
    return [
        OrderAction(
            order=order,
            position=position,
            name=name,
            kind=ActionKind.MANUAL,
            status=ActionStatus.DONE if position <= done else ActionStatus.PENDING,
        )
        for position, name in enumerate(STEPS, start=1)
    ]


def scale_orders_seed(
    *,
    people: ScalePeople,
    tag: str,
    count: int,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """``count`` email-only orders in one new queue, newest first one minute apart."""
    # One active queue per order type: a second run's queue is an inactive one.
    active = not OrderQueue.objects.filter(order_type=OrderType.EMAIL_ONLY, active=True).exists()
    queue = OrderQueue.objects.create(
        name=f"Scale {tag} queue", order_type=OrderType.EMAIL_ONLY, active=active
    )
    OrderActionTemplate.objects.bulk_create(
        [
            OrderActionTemplate(queue=queue, position=p, name=name, kind=ActionKind.MANUAL)
            for p, name in enumerate(STEPS, start=1)
        ]
    )
    first_number = _number_block(count)
    users, now = people.users, timezone.now()
    made = 0
    # One transaction, indexes and foreign keys rebuilt once at the end (see
    # common.bulk.bulk_load); rows are built one batch at a time.
    with bulk_load(Order, OrderAction, rows=count):
        for start in range(0, count, batch_size):
            stop = min(start + batch_size, count)
            orders = bulk_insert(
                Order,
                [
                    Order(
                        number=first_number + count - 1 - i,
                        order_type=OrderType.EMAIL_ONLY,
                        queue=queue,
                        organization=people.organization,
                        submitted_by=users[i % len(users)],
                        owner=users[(i * 7) % len(users)] if i % 3 else None,
                        status=_PATTERN[i % len(_PATTERN)],
                        new_full_name=f"New Person {tag} {i:08d}",
                        new_username=f"np{tag}{i:08d}",
                        new_email=f"np{tag}{i:08d}@example.edu",
                        created_at=now - dt.timedelta(minutes=i),
                        submitted_at=now - dt.timedelta(minutes=i),
                    )
                    for i in range(start, stop)
                ],
            )
            bulk_insert(
                OrderAction,
                [
                    action
                    for i, order in zip(range(start, stop), orders, strict=True)
                    for action in _actions(order, i)
                ],
            )
            made += stop - start
            if progress:
                progress(made)
    return made
