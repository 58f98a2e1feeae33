"""Enqueue a Celery task by its name once the transaction commits.

Services never import tasks modules (tasks import services): they name the
task, e.g. ``enqueue_on_commit("refresh.tasks.itsm_ticket_create_task",
ticket_id=ticket.pk)``. The task runs only if the surrounding transaction
commits; outside a transaction it is enqueued at once.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def task_by_name(name: str):
    """The registered task ``name``, importing every app's tasks module first if needed."""
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue_on_commit(task_name: str, /, *, countdown: float | None = None, **kwargs: Any) -> None:
    """Run ``task_name(**kwargs)`` on a worker after the current transaction commits."""

    def send():
        task = task_by_name(task_name)
        if countdown is None:
            task.delay(**kwargs)
        else:
            task.apply_async(kwargs=kwargs, countdown=countdown)

    # robust: the rows are committed; a broker hiccup must not fail the request
    # (the sweeps pick the work up again).
    transaction.on_commit(send, robust=True)
