"""The ITSM stub behaves like the service: ids, idempotency, retries, limits, outage."""

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
from integrations.models import StubITSMAsset, StubITSMTicket, StubSettings
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


def test_change_request_is_its_own_ticket_noted_once_on_the_original():
    client = StubITSMClient()
    ticket = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
    filed = {
        client.file_change_request(
            ticket_id=ticket.id, text="Move to Dec 3", requested_by="Ann", idempotency_key="cr1"
        )
        for _ in range(2)
    }
    assert len(filed) == 1
    change = StubITSMTicket.objects.get(pk=filed.pop())
    assert change.type_name == "Change request"
    assert change.related_ticket_id == ticket.id
    assert change.requestor_email == "a@x.edu"
    feed = StubITSMTicket.objects.get(pk=ticket.id).feed
    assert len(feed) == 1
    assert "Move to Dec 3" in feed[0]["text"]
    assert feed[0]["private"] is True


# --- the stub behaves like TeamDynamix where the client had to learn it ----------------


def test_create_that_times_out_after_saving_is_found_by_the_retry():
    client = StubITSMClient()
    StubSettings.objects.update_or_create(pk=1, defaults={"itsm_create_times_out": True})

    with pytest.raises(TransientITSMError, match="timed out after saving"):
        client.create_ticket(ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key="k1")
    saved = StubITSMTicket.objects.get()
    assert saved.tasks.count() == 0  # the answer was lost before the tasks
    assert not StubSettings.objects.get(pk=1).itsm_create_times_out  # one shot

    again = client.create_ticket(
        ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key="k1"
    )

    assert again.id == str(saved.pk)
    assert [t.title for t in again.tasks] == ["Prestage", "Deliver"]
    assert StubITSMTicket.objects.count() == 1


def test_marker_of_a_longer_key_is_not_mistaken_for_ours():
    client = StubITSMClient()
    StubSettings.objects.update_or_create(pk=1, defaults={"itsm_create_times_out": True})
    with pytest.raises(TransientITSMError):
        client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="handover-refresh-12")
    other = client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="handover-refresh-1")
    assert StubITSMTicket.objects.count() == 2
    assert (
        "Handover reference: handover-refresh-1"
        in StubITSMTicket.objects.get(pk=other.id).description
    )


def test_a_kind_without_a_ticket_type_is_refused_like_tdx_400():
    from integrations.itsm import PermanentITSMError

    client = StubITSMClient()
    with pytest.raises(PermanentITSMError, match="no ticket type"):
        client.create_ticket(
            ticket=NewTicket(title="x", description="", requestor_email="", kind="laptop_loan"),
            task_titles=[],
            idempotency_key="k1",
        )
    assert StubITSMTicket.objects.count() == 0


def test_titles_are_cut_to_300_characters():
    client = StubITSMClient()
    long = NewTicket(title="T" * 500, description="", requestor_email="a@x.edu")
    ticket = client.create_ticket(ticket=long, task_titles=["K" * 400], idempotency_key="k1")
    assert len(ticket.title) == 300
    assert len(ticket.tasks[0].title) == 300


def test_rate_limit_window_starts_at_first_call_and_create_gets_half(settings):
    import datetime as dt

    import time_machine

    settings.ITSM_STUB_RATE_LIMIT_PER_MINUTE = 4
    client = StubITSMClient()
    first = dt.datetime(2026, 12, 1, 15, 0, 40, tzinfo=dt.UTC)
    with time_machine.travel(first, tick=False):
        client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k1")
        client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k2")
    with time_machine.travel(first + dt.timedelta(seconds=30), tick=False):
        with pytest.raises(ITSMRateLimited) as caught:
            client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k3")
        assert caught.value.retry_after == pytest.approx(30 + 5)  # reset + 5 s, like TDX
        for n in range(4):
            client.find_asset_by_serial(serial_number=str(n))  # its own budget
    with time_machine.travel(first + dt.timedelta(seconds=61), tick=False):
        client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="k3")


def test_task_comments_are_private_unless_said_otherwise():
    client = StubITSMClient()
    ticket = client.create_ticket(ticket=NEW, task_titles=["Deliver"], idempotency_key="k1")
    task_id = ticket.tasks[0].id
    client.comment_task(ticket_id=ticket.id, task_id=task_id, comment="Tue 9 AM")
    client.comment_task(ticket_id=ticket.id, task_id=task_id, comment="Hi", private=False)
    feed = StubITSMTicket.objects.get(pk=ticket.id).feed
    assert [entry["private"] for entry in feed] == [True, False]


def test_ticket_url_is_the_stub_page():
    assert StubITSMClient().ticket_url(ticket_id="7").endswith("/integrations/itsm/tickets/7/")


def test_check_reports_the_outage_switch():
    client = StubITSMClient()
    assert client.check_configuration().ok
    stub_outage_set(on=True)
    report = client.check_configuration()
    assert not report.ok
    assert "outage switch is on" in report.problems[0]


def test_stub_and_tdx_client_offer_the_same_protocol():
    import inspect

    from integrations.itsm import ITSMClient
    from integrations.itsm.tdx import TDXClient

    for name, member in inspect.getmembers(ITSMClient, inspect.isfunction):
        if name.startswith("_"):
            continue
        wanted = list(inspect.signature(member).parameters)
        for cls in (StubITSMClient, TDXClient):
            assert list(inspect.signature(getattr(cls, name)).parameters) == wanted, (cls, name)
