"""Order automation on a real Celery worker and the real Redis broker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.models import WorkstationPlaceholder
from orders.services import order_create_draft, order_submit
from orders.tasks import order_actions_advance_task

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def wait_for(read, *, until, timeout=30.0):
    deadline = time.monotonic() + timeout
    value = read()
    while not until(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def test_submission_runs_actions_on_a_worker_and_a_second_run_changes_nothing(
    coordinator, queues, directory, make_user
):
    leaver = make_user(organization=coordinator.organization)
    order = order_create_draft(
        order_type=OrderType.DEACTIVATE_FUTURE_REPLACEMENT,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"existing_user": leaver, "workstation": "WX14"},
    )
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        order_submit(order=order, actor=coordinator)  # enqueues after commit
        status = wait_for(
            lambda: type(order).objects.get(pk=order.pk).status,
            until=lambda s: s == OrderStatus.COMPLETED,
        )
        order_actions_advance_task.delay(order.pk).get(timeout=10)

    assert status == OrderStatus.COMPLETED
    assert set(order.actions.values_list("status", flat=True)) == {ActionStatus.DONE}
    assert directory.names() == ["deactivate_account", "rename_computer"]
    assert WorkstationPlaceholder.objects.get().name == f"tmp-WX14 {order.number}"
