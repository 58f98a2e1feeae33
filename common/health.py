"""Health checks for the load balancer and monitoring (django-health-check).

``/health/`` answers for this web process: database, cache and broker (what a
request needs). ``/health/full/`` adds the background side: a worker ran the
heartbeat task lately, and beat sent it lately. Beat sends
``common.health.heartbeat_task`` every minute; publishing it stamps "beat
sent" in the cache (from the beat process), running it stamps "worker ran".

Unhealthy answers 503 Service Unavailable (what load balancers and uptime
monitors expect of a dependency being down, unlike 500, a bug), with the
failing checks named in the ``X-Health-Failing`` header and in the body.
"""

from __future__ import annotations

import dataclasses
import datetime
import time

from celery import current_app, shared_task
from celery.signals import before_task_publish
from django.core.cache import cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

HEARTBEAT_TASK = "common.health.heartbeat_task"
WORKER_KEY = "health:worker-heartbeat"
BEAT_KEY = "health:beat-last-sent"
STALE_AFTER_SECONDS = 5 * 60


@shared_task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat_task() -> None:
    cache.set(WORKER_KEY, time.time(), timeout=None)


@before_task_publish.connect(weak=False, dispatch_uid="common.health.beat_sent")
def _stamp_beat(sender=None, **kwargs) -> None:
    # Listed in docs/architecture.md: the heartbeat's publisher (beat) says it is alive.
    if sender == HEARTBEAT_TASK:
        cache.set(BEAT_KEY, time.time(), timeout=None)


def _age_check(key: str, what: str) -> None:
    stamp = cache.get(key)
    if stamp is None:
        raise ServiceUnavailable(f"{what}: never seen")
    age = time.time() - float(stamp)
    if age > STALE_AFTER_SECONDS:
        raise ServiceUnavailable(f"{what}: last seen {int(age)} s ago")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            raise ServiceUnavailable("Broker unreachable") from exc


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A worker ran the heartbeat task in the last few minutes."""

    def run(self):
        _age_check(WORKER_KEY, "Worker heartbeat")


@dataclasses.dataclass
class BeatLastRun(HealthCheck):
    """Beat sent the heartbeat task in the last few minutes."""

    def run(self):
        _age_check(BEAT_KEY, "Beat")


WEB_CHECKS = ["health_check.checks.Database", "health_check.checks.Cache", Broker]
FULL_CHECKS = [*WEB_CHECKS, WorkerHeartbeat, BeatLastRun]


class HealthView(HealthCheckView):
    """django-health-check's view, answering 503 (not 500) naming what failed."""

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        failing = [type(r.check).__name__ for r in self.results if r.error]
        if failing and response.status_code == 500:
            response.status_code = 503
            response.reason_phrase = "Service Unavailable"
            response["X-Health-Failing"] = ", ".join(failing)
        return response
