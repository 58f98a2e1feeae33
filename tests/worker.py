"""Helpers for tests that run a real Celery worker (``@pytest.mark.worker``).

A worker test waits for the observable effect of every run it starts and fails
when the run never happened: ``wait_for`` polls the database with a deadline
and raises on timeout; ``TaskLedger`` records every task the in-process worker
finished (Celery's ``task_postrun`` signal) so a run that must change nothing
is still proven to have run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from celery.signals import task_postrun


def wait_for(read: Callable[[], Any], *, until: Callable[[Any], bool], timeout=30.0, what=""):
    """Poll ``read()`` until ``until(value)``; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    value = read()
    while not until(value):
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or 'the effect'}")
        time.sleep(0.1)
        value = read()
    return value


@dataclass
class TaskLedger:
    """Tasks the worker finished in this test: ``{task_id: (task name, state)}``."""

    runs: dict[str, tuple[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sender=None, task_id=None, state=None, **kwargs) -> None:
        with self._lock:
            self.runs[task_id] = (getattr(sender, "name", "?"), state)

    def names(self) -> list[str]:
        with self._lock:
            return [name for name, _ in self.runs.values()]

    def wait(self, result, *, timeout=30.0) -> str:
        """Wait until the worker finished the task of ``result`` (an AsyncResult); its state."""
        name, state = wait_for(
            lambda: self.runs.get(result.id, (None, None)),
            until=lambda run: run[1] is not None,
            timeout=timeout,
            what=f"task {result.id} to run on the worker",
        )
        assert state == "SUCCESS", f"{name} ended {state}"
        return state


def connect_ledger() -> TaskLedger:
    ledger = TaskLedger()
    task_postrun.connect(ledger.record, weak=False)
    return ledger


def disconnect_ledger(ledger: TaskLedger) -> None:
    task_postrun.disconnect(ledger.record)
