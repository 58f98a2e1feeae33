"""'Run this job now': staff start a beat job on the worker from the page it concerns.

Each click writes a ``JobRun`` row (who asked, when; the audit of the click) and
enqueues ``integrations.tasks.job_run_task`` after commit; the worker stamps
when the job started and finished and what it returned. Pages show the latest
run of each job they offer (``job_runs_latest``). ``manage.py run_job`` stays
the command-line twin (it runs in the calling process instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from common.effects import enqueue_on_commit, task_by_name

from .models import JobRun

# The jobs a page may offer, with what each does in a line (beat schedule names).
RUNNABLE_JOBS = {
    "refresh-invites": "Send the invites that are due",
    "refresh-reminders": "Send the wizard reminders that are due",
    "refresh-wizard-deadlines": "Move tickets past their wizard deadline to location info",
    "refresh-itsm-existence-sweep": "Look up replacements in the ITSM",
    "refresh-slot-discovery": "Offer slots to tickets whose team has capacity",
    "refresh-appointment-reminders": "Send the appointment reminders that are due",
    "refresh-itsm-poll": "Read ITSM tickets: installed and closed",
    "refresh-approver-digests": "Send the approvers' weekly status report",
}
ITSM_PAGE_JOBS = ["refresh-itsm-poll", "refresh-itsm-existence-sweep"]
REFRESH_PAGE_JOBS = list(RUNNABLE_JOBS)


@dataclass(frozen=True)
class JobLine:
    """One job a page offers and its latest run (None: never run from a page)."""

    name: str
    label: str
    last: JobRun | None


def job_runs_latest(*, jobs: list[str]) -> list[JobLine]:
    """The jobs in ``jobs`` with the latest run of each (one query)."""
    latest = JobRun.objects.filter(job=OuterRef("job")).order_by("-requested_at", "-id")
    runs = {
        run.job: run
        for run in JobRun.objects.filter(
            job__in=jobs, pk=Subquery(latest.values("pk")[:1])
        ).select_related("requested_by")
    }
    return [JobLine(name, RUNNABLE_JOBS.get(name, name), runs.get(name)) for name in jobs]


@transaction.atomic
def job_run_request(*, job: str, by) -> JobRun:
    """Record who asked for ``job`` now and enqueue it on the worker after commit."""
    if job not in RUNNABLE_JOBS or job not in current_app.conf.beat_schedule:
        raise ValidationError(f"There is no job {job!r} to run from here.")
    run = JobRun.objects.create(job=job, requested_by=by)
    enqueue_on_commit("integrations.tasks.job_run_task", run_id=run.pk)
    return run


def job_run_execute(*, run_id: int) -> str:
    """Run the job of ``run_id`` in this (worker) process, once; stamp start and finish.

    A second delivery of the same run finds it started and does nothing. The
    job's own failure is recorded on the run (and re-raised for the worker log).
    """
    claimed = JobRun.objects.filter(pk=run_id, started_at__isnull=True).update(
        started_at=timezone.now()
    )
    if not claimed:
        return ""
    run = JobRun.objects.get(pk=run_id)
    task = task_by_name(current_app.conf.beat_schedule[run.job]["task"])
    try:
        result = task.apply(throw=True).get()
    except Exception as exc:
        JobRun.objects.filter(pk=run_id).update(
            finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    text = str(result)[:300]
    JobRun.objects.filter(pk=run_id).update(finished_at=timezone.now(), result=text)
    return text
