"""Issue #11 item 14: staff's "Run this job now" on the ITSM stub page and the refresh
ticket list: a POST records who asked, the worker runs the job, the page shows when
it finished. The worker test proves the click leads to the job's effect."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from config.celery import app as celery_app
from integrations.jobs import job_run_execute, job_run_request
from integrations.models import JobRun, StubITSMTicket
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from tests.refresh.conftest import admin, approver, flow, make_slot, manager, team  # noqa: F401
from tests.worker import wait_for


@pytest.mark.django_db
def test_both_pages_offer_their_jobs_to_staff(client, admin):  # noqa: F811
    client.force_login(admin)
    stub = client.get(reverse("integrations:itsm_stub")).content.decode()
    assert 'aria-label="Run this job now: refresh-itsm-poll"' in stub
    assert "Not run from this page yet" in stub
    listing = client.get(reverse("refresh:ticket_list")).content.decode()
    for job in ("refresh-invites", "refresh-slot-discovery", "refresh-itsm-poll"):
        assert f'aria-label="Run this job now: {job}"' in listing


@pytest.mark.django_db
def test_only_known_jobs_run_and_the_click_is_recorded(client, admin):  # noqa: F811
    client.force_login(admin)
    url = reverse("integrations:job_run")
    response = client.post(url, {"job": "orders-actions-sweep", "next": "/refresh/"})
    assert response.status_code == 302
    assert not JobRun.objects.exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("integrations.jobs.enqueue_on_commit", lambda *a, **k: None)
        client.post(url, {"job": "refresh-invites", "next": "https://evil.example/"})
    run = JobRun.objects.get()
    assert (run.job, run.requested_by, run.started_at) == ("refresh-invites", admin, None)
    page = client.get(reverse("integrations:itsm_stub")).content.decode()
    assert "Queued" not in page  # the stub page offers only its two jobs


@pytest.mark.django_db(transaction=True)
def test_a_run_is_executed_once_and_stamped(admin):  # noqa: F811
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("integrations.jobs.enqueue_on_commit", lambda *a, **k: None)
        run = job_run_request(job="refresh-invites", by=admin)
    assert job_run_execute(run_id=run.pk) == "0"
    assert job_run_execute(run_id=run.pk) == ""  # a second delivery does nothing
    run.refresh_from_db()
    assert run.started_at <= run.finished_at
    assert run.result == "0"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)")
def test_the_click_runs_the_poll_on_the_worker_and_the_page_says_it_finished(
    client,
    flow,  # noqa: F811
    admin,  # noqa: F811
):
    ticket = flow.to(TicketStatus.PENDING_DELIVERY, style=RefreshStyle.REMOTE)
    client.force_login(admin)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        itsm_id = wait_for(
            lambda: RefreshTicket.objects.get(pk=ticket.pk).itsm_ticket_id,
            until=bool,
            what="the ITSM ticket",
        )
        StubITSMTicket.objects.filter(pk=itsm_id).update(status="installed")

        response = client.post(
            reverse("integrations:job_run"),
            {"job": "refresh-itsm-poll", "next": reverse("integrations:itsm_stub")},
        )
        assert response.status_code == 302
        status = wait_for(
            lambda: RefreshTicket.objects.get(pk=ticket.pk).status,
            until=lambda s: s == TicketStatus.INSTALLED,
            what="the poll to mark the ticket installed",
        )
        run = wait_for(
            lambda: JobRun.objects.get(job="refresh-itsm-poll"),
            until=lambda r: r.finished_at is not None,
            what="the run to finish",
        )

    assert status == TicketStatus.INSTALLED
    assert run.requested_by == admin
    assert "'installed': 1" in run.result
    page = client.get(reverse("integrations:itsm_stub")).content.decode()
    assert "Finished" in page
    assert f"asked by {admin}" in page
