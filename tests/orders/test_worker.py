"""Order automation on a real Celery worker and the real Redis broker."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.models import OrderAudit, WorkstationPlaceholder
from orders.services import order_create_draft, order_submit
from orders.tasks import order_actions_advance_task
from tests.worker import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def test_submission_runs_actions_on_a_worker_and_a_second_run_changes_nothing(
    coordinator, queues, directory, make_user, task_ledger
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
        wait_for(
            lambda: type(order).objects.get(pk=order.pk).status,
            until=lambda s: s == OrderStatus.COMPLETED,
            what="the first run to complete the order",
        )
        # The advance runs as an outbox effect (common.tasks.effect_run_task).
        assert "common.tasks.effect_run_task" in task_ledger.names()
        audits = OrderAudit.objects.filter(order=order).count()
        actions = list(
            order.actions.order_by("pk").values_list("pk", "status", "processed_at", "attempts")
        )
        # The second run: the worker must finish it (the ledger proves it ran),
        # and it must change nothing.
        task_ledger.wait(order_actions_advance_task.delay(order.pk))

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert set(order.actions.values_list("status", flat=True)) == {ActionStatus.DONE}
    assert (
        list(order.actions.order_by("pk").values_list("pk", "status", "processed_at", "attempts"))
        == actions
    )
    assert OrderAudit.objects.filter(order=order).count() == audits
    assert directory.names() == ["deactivate_account", "rename_computer"]
    assert WorkstationPlaceholder.objects.get().name == f"tmp-WX14 {order.number}"


def _actions(order) -> list[tuple]:
    rows = order.actions.order_by("pk")
    return list(rows.values_list("pk", "status", "processed_at", "attempts"))
