"""Races on PostgreSQL: order numbers, a cancel against a manual action."""

import pytest
from django.db import connection

from orders.choices import OrderStatus, OrderType
from orders.services import (
    order_action_process,
    order_cancel,
    order_create_draft,
    order_number_allocate,
    order_submit,
)
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _race(*calls):
    return race(*calls)


def test_order_numbers_never_collide():
    numbers = _race(*[order_number_allocate for _ in range(8)])
    assert len(set(numbers)) == 8
    assert max(numbers) - min(numbers) == 7


def test_cancel_and_process_do_not_both_win(coordinator, queues, directory, manager, commit):
    # The step that needs a person is the last one: processing it completes the order.
    queues[OrderType.EMAIL_ONLY].action_templates.filter(position=4).delete()
    order = order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "new_full_name": "Race",
            "new_username": "racer",
            "new_email": "r@example.edu",
            "shared_mailboxes": ["missing@example.edu"],
        },
    )
    order_submit(order=order, actor=coordinator)
    # Run the automated steps so the manual one is current.
    from orders.services import order_actions_advance

    order_actions_advance(order_id=order.pk)
    manual = order.actions.get(position=3)
    results = _race(
        lambda: order_cancel(order=order, actor=manager, note="race"),
        lambda: order_action_process(action=manual, actor=manager, note="race"),
    )
    order.refresh_from_db()
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1
    assert order.status in (OrderStatus.CANCELLED, OrderStatus.COMPLETED)
