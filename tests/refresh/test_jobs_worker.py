"""A refresh job end to end on a real Celery worker and the real Redis broker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from integrations.models import StubITSMAsset
from notifications.models import OutboundEmail
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from refresh.tasks import itsm_existence_sweep_task

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def test_existence_sweep_on_a_worker_routes_the_ticket_and_emails_tracking(flow):
    # Built with eager tasks off: the lookup the transition enqueues goes to Redis too.
    ticket = flow.to(TicketStatus.PENDING_ITSM_EXISTENCE, style=RefreshStyle.REMOTE)
    StubITSMAsset.objects.create(serial_number=ticket.replacement_system.serial_number)
    # Both known (replacement and tracking number): the tracking email goes on arrival.
    RefreshTicket.objects.filter(pk=ticket.pk).update(tracking_number="1Z999AA10123456784")

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        itsm_existence_sweep_task.delay()
        status = wait_for(
            lambda: RefreshTicket.objects.get(pk=ticket.pk).status,
            until=lambda s: s == TicketStatus.PENDING_DELIVERY,
        )
        sent = wait_for(
            lambda: OutboundEmail.objects.filter(
                template="refresh_job_tracking", status="sent"
            ).count(),
            until=lambda n: n == 1,
        )

    assert status == TicketStatus.PENDING_DELIVERY
    assert sent == 1
    assert RefreshTicket.objects.get(pk=ticket.pk).itsm_ticket_id


def wait_for(read, *, until, timeout=30.0):
    deadline = time.monotonic() + timeout
    value = read()
    while not until(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value
