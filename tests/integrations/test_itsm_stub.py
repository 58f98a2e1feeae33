"""The ITSM stub behaves like the service: ids, idempotency, not found, rate limit, outage."""

import pytest

from integrations.itsm import (
    ITSMNotFound,
    ITSMRateLimited,
    NewTicket,
    TicketState,
    TransientITSMError,
    get_itsm_client,
)
from integrations.itsm.stub import StubITSMClient
from integrations.models import StubITSMAsset, StubITSMTicket
from integrations.services import stub_asset_create, stub_outage_set, stub_ticket_set_status

pytestmark = pytest.mark.django_db

NEW = NewTicket(title="Device refresh: MED00001", description="Latitude", requestor_email="a@x.edu")


def test_configured_client_is_the_stub():
    assert isinstance(get_itsm_client(), StubITSMClient)


def test_create_is_idempotent_with_sequential_numeric_ids():
    client = StubITSMClient()
    first = client.create_ticket(
        ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key="k1"
    )
    again = client.create_ticket(
        ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key="k1"
    )
    other = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k2")

    assert first == again
    assert [t.title for t in first.tasks] == ["Prestage", "Deliver"]
    assert int(other.id) == int(first.id) + 1
    assert StubITSMTicket.objects.count() == 2
    assert f"/integrations/itsm/tickets/{first.id}/" in first.url


def test_unknown_ticket_is_not_found():
    client = StubITSMClient()
    with pytest.raises(ITSMNotFound):
        client.get_ticket_status(ticket_id="999")
    with pytest.raises(ITSMNotFound):
        client.get_ticket(ticket_id="not-a-number")


def test_update_once_per_key_and_status_polling_sees_staff_flip(superuser):
    client = StubITSMClient()
    ticket = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    for _ in range(2):
        client.update_ticket(ticket_id=ticket.id, comment="Rescheduled", idempotency_key="u1")
    assert len(StubITSMTicket.objects.get(pk=ticket.id).feed) == 1

    stub_ticket_set_status(ticket_id=int(ticket.id), status=TicketState.INSTALLED, by=superuser)
    status = client.get_ticket_status(ticket_id=ticket.id)
    assert status.installed
    assert not status.closed

    stub_ticket_set_status(ticket_id=int(ticket.id), status=TicketState.CLOSED, by=superuser)
    assert client.get_ticket_status(ticket_id=ticket.id).closed


def test_tasks_complete_and_unknown_task_not_found():
    client = StubITSMClient()
    ticket = client.create_ticket(ticket=NEW, task_titles=["Prestage"], idempotency_key="k1")
    task = client.complete_task(ticket_id=ticket.id, task_id=ticket.tasks[0].id)
    assert task.completed
    assert task.percent_complete == 100
    with pytest.raises(ITSMNotFound):
        client.complete_task(ticket_id=ticket.id, task_id="424242")


def test_asset_exists_only_once_made_to():
    client = StubITSMClient()
    assert client.find_asset_by_serial(serial_number="NEW00001") is None
    stub_asset_create(serial_number=" new00001 ", name="Latitude 7450")
    asset = client.find_asset_by_serial(serial_number="NEW00001")
    assert asset.serial_number == "NEW00001"
    ticket = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    client.attach_asset(ticket_id=ticket.id, asset_id=asset.id)
    assert StubITSMAsset.objects.get(pk=asset.id).tickets.filter(pk=ticket.id).exists()
    with pytest.raises(ITSMNotFound):
        client.attach_asset(ticket_id=ticket.id, asset_id="999999")


def test_outage_fails_transiently_and_creates_nothing_then_recovers():
    client = StubITSMClient()
    stub_outage_set(on=True)
    with pytest.raises(TransientITSMError):
        client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    with pytest.raises(TransientITSMError):
        client.find_asset_by_serial(serial_number="NEW00001")
    assert StubITSMTicket.objects.count() == 0

    stub_outage_set(on=False)
    client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    assert StubITSMTicket.objects.count() == 1


def test_rate_limit_when_asked(settings):
    settings.ITSM_STUB_RATE_LIMIT_PER_MINUTE = 2
    client = StubITSMClient()
    client.find_asset_by_serial(serial_number="A")
    client.find_asset_by_serial(serial_number="B")
    with pytest.raises(ITSMRateLimited) as caught:
        client.find_asset_by_serial(serial_number="C")
    assert caught.value.retry_after > 0


def test_no_rate_limit_by_default():
    client = StubITSMClient()
    for n in range(100):
        client.find_asset_by_serial(serial_number=str(n))


def test_changed_location_ticket_is_linked():
    client = StubITSMClient()
    first = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    changed = client.open_changed_location_ticket(
        related_ticket_id=first.id,
        requestor_email="a@x.edu",
        old_location="UH 1",
        new_location="UH 2",
        idempotency_key="loc1",
    )
    assert StubITSMTicket.objects.get(pk=changed.id).related_ticket_id == first.id


def test_simulated_latency_when_asked(settings):
    import time

    settings.ITSM_STUB_LATENCY_MS = 50
    client = StubITSMClient()
    started = time.monotonic()
    client.find_asset_by_serial(serial_number="A")
    assert time.monotonic() - started >= 0.05


def test_change_request_is_a_comment_once_per_key():
    client = StubITSMClient()
    ticket = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    for _ in range(2):
        client.file_change_request(
            ticket_id=ticket.id, text="Move to Dec 3", requested_by="Ann", idempotency_key="cr1"
        )
    feed = StubITSMTicket.objects.get(pk=ticket.id).feed
    assert len(feed) == 1
    assert "Move to Dec 3" in feed[0]["text"]
