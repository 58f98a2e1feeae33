"""The TeamDynamix client against recorded-shape responses (``responses``)."""

import datetime as dt
import json
import time

import pytest
import responses
from responses import matchers

from integrations.itsm import (
    ITSMNotFound,
    ITSMRateLimited,
    NewTicket,
    PermanentITSMError,
    TicketState,
    TransientITSMError,
)
from integrations.itsm.tdx import TDXClient

BASE = "https://tdx.example.edu"
API = f"{BASE}/TDWebApi/api"
LOGIN = f"{API}/auth/loginadmin"

pytestmark = pytest.mark.django_db


def ticket_body(ticket_id=101, status_id=1, status_class="New", **extra):
    return {
        "ID": ticket_id,
        "AppID": 31,
        "Title": "Device refresh: MED00001",
        "TypeID": 12,
        "StatusID": status_id,
        "StatusName": {1: "New", 5: "Installed", 6: "Closed"}.get(status_id, "Open"),
        "StatusClass": status_class,
        "ModifiedDate": "2026-11-20T15:04:05Z",
        "Uri": f"api/31/tickets/{ticket_id}",
        **extra,
    }


def task_body(task_id=501, ticket_id=101, title="Prestage", percent=0):
    return {
        "ID": task_id,
        "TicketID": ticket_id,
        "Title": title,
        "PercentComplete": percent,
        "CompletedDate": None,
        "Uri": f"api/31/tickets/{ticket_id}/tasks/{task_id}",
    }


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return TDXClient(
        base_url=BASE,
        beid="beid-guid",
        web_services_key="ws-key",
        app_id=31,
        asset_app_id=40,
        sleep=sleeps.append,
    )


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(
            responses.POST,
            LOGIN,
            body="eyJ.token.one",
            content_type="text/plain",
            match=[matchers.json_params_matcher({"BEID": "beid-guid", "WebServicesKey": "ws-key"})],
        )
        yield mock


def test_login_once_and_bearer_on_every_call(client, api):
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body()])

    ticket = client.get_ticket(ticket_id="101")
    client.get_ticket_status(ticket_id="101")

    assert ticket.id == "101"
    assert ticket.status == TicketState.NEW
    assert ticket.tasks[0].title == "Prestage"
    assert "TicketID=101" in ticket.url
    logins = [c for c in api.calls if c.request.url == LOGIN]
    assert len(logins) == 1
    for call in api.calls:
        if call.request.url != LOGIN:
            assert call.request.headers["Authorization"] == "Bearer eyJ.token.one"


def test_every_request_has_a_timeout(client, api):
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])
    api.add(responses.POST, f"{API}/40/assets/search", json=[])
    client.get_ticket(ticket_id="101")
    client.find_asset_by_serial(serial_number="X1")
    assert len(api.calls) == 4
    for call in api.calls:
        assert call.request.req_kwargs["timeout"], call.request.url


def test_token_refreshed_before_24h_expiry(client, api):
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    client.get_ticket_status(ticket_id="101")
    client._token_expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    client.get_ticket_status(ticket_id="101")
    assert len([c for c in api.calls if c.request.url == LOGIN]) == 2


def test_401_reauthenticates_once(client, api):
    api.add(responses.GET, f"{API}/31/tickets/101", status=401)
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=5))

    status = client.get_ticket_status(ticket_id="101")

    assert status.installed
    assert not status.closed
    assert len([c for c in api.calls if c.request.url == LOGIN]) == 2


def test_401_twice_is_permanent(client, api):
    api.add(responses.GET, f"{API}/31/tickets/101", status=401)
    with pytest.raises(PermanentITSMError):
        client.get_ticket_status(ticket_id="101")
    assert len([c for c in api.calls if c.request.url == LOGIN]) == 2


def test_429_with_short_reset_waits_reset_plus_5s_and_retries(client, api, sleeps):
    reset = time.time() + 2
    api.add(
        responses.GET,
        f"{API}/31/tickets/101",
        status=429,
        headers={"X-RateLimit-Reset": str(reset)},
    )
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=6))

    status = client.get_ticket_status(ticket_id="101")

    assert status.closed
    assert len(sleeps) == 1
    assert 6 <= sleeps[0] <= 7.5


def test_429_with_long_reset_raises_rate_limited(client, api, sleeps):
    reset = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=50)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    api.add(
        responses.GET, f"{API}/31/tickets/101", status=429, headers={"X-RateLimit-Reset": reset}
    )

    with pytest.raises(ITSMRateLimited) as caught:
        client.get_ticket_status(ticket_id="101")

    assert 50 <= caught.value.retry_after <= 56
    assert isinstance(caught.value, TransientITSMError)
    assert sleeps == []
    # The next call does not hammer TDX while the window is closed.
    with pytest.raises(ITSMRateLimited):
        client.get_ticket_status(ticket_id="101")
    assert len([c for c in api.calls if c.request.url != LOGIN]) == 1


def test_own_limit_per_method(client, api, settings):
    settings.TDX_CALLS_PER_MINUTE = 2
    settings.TDX_MAX_INLINE_WAIT_SECONDS = 0.001
    client = TDXClient(
        base_url=BASE, beid="beid-guid", web_services_key="ws-key", app_id=31, asset_app_id=40
    )
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.POST, f"{API}/40/assets/search", json=[])
    client.get_ticket_status(ticket_id="101")
    client.get_ticket_status(ticket_id="101")
    client.find_asset_by_serial(serial_number="X")  # another method: its own budget
    with pytest.raises(ITSMRateLimited):
        client.get_ticket_status(ticket_id="101")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_transient(client, api, status):
    api.add(responses.GET, f"{API}/31/tickets/101", status=status)
    with pytest.raises(TransientITSMError):
        client.get_ticket_status(ticket_id="101")


def test_timeout_is_transient(client, api):
    import requests

    api.add(responses.GET, f"{API}/31/tickets/101", body=requests.ReadTimeout("slow"))
    with pytest.raises(TransientITSMError):
        client.get_ticket_status(ticket_id="101")


def test_404_not_found_and_400_permanent(client, api):
    api.add(responses.GET, f"{API}/31/tickets/999", status=404, json={"Message": "Not found"})
    api.add(responses.POST, f"{API}/31/tickets/101/feed", status=400, json={"Message": "Bad"})
    with pytest.raises(ITSMNotFound):
        client.get_ticket_status(ticket_id="999")
    with pytest.raises(PermanentITSMError) as caught:
        client.update_ticket(ticket_id="101", comment="hi", idempotency_key="u1")
    assert not isinstance(caught.value, ITSMNotFound)


def test_create_ticket_with_tasks_once_per_key(client, api):
    api.add(responses.POST, f"{API}/31/tickets", json=ticket_body())
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(501, title="Prestage"))
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(502, title="Deliver"))
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(
        responses.GET,
        f"{API}/31/tickets/101/tasks",
        json=[task_body(501, title="Prestage"), task_body(502, title="Deliver")],
    )
    new = NewTicket(
        title="Device refresh: MED00001",
        description="Replace the Latitude",
        requestor_email="ann@med.example.edu",
        location="UH 1210",
    )

    first = client.create_ticket(
        ticket=new, task_titles=["Prestage", "Deliver"], idempotency_key="rt-1"
    )
    again = client.create_ticket(
        ticket=new, task_titles=["Prestage", "Deliver"], idempotency_key="rt-1"
    )

    assert first.id == again.id == "101"
    assert [t.id for t in first.tasks] == ["501", "502"]
    creates = [
        c
        for c in api.calls
        if c.request.method == "POST" and c.request.url.startswith(f"{API}/31/tickets?")
    ]
    assert len(creates) == 1
    sent = json.loads(creates[0].request.body)
    assert sent["Title"] == "Device refresh: MED00001"
    assert sent["RequestorEmail"] == "ann@med.example.edu"
    assert "UH 1210" in sent["Description"]
    assert "NotifyRequestor=false" in creates[0].request.url


def test_update_ticket_posts_feed_with_status_once(client, api):
    api.add(responses.POST, f"{API}/31/tickets/101/feed", json={"ID": 9001, "Body": "Rescheduled"})
    api.add(responses.PATCH, f"{API}/31/tickets/101", json=ticket_body())
    api.add(
        responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=4, status_class="OnHold")
    )
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])
    start = dt.datetime(2026, 12, 1, 14, tzinfo=dt.UTC)

    for _ in range(2):
        ticket = client.update_ticket(
            ticket_id="101",
            comment="Rescheduled",
            status=TicketState.ON_HOLD,
            appointment_start=start,
            appointment_end=start + dt.timedelta(hours=1),
            idempotency_key="resched-1",
        )

    assert ticket.status == TicketState.ON_HOLD
    feeds = [c for c in api.calls if c.request.url.endswith("/feed")]
    assert len(feeds) == 1
    assert json.loads(feeds[0].request.body)["NewStatusID"] == 4
    patch = next(c for c in api.calls if c.request.method == "PATCH")
    assert json.loads(patch.request.body)[0]["path"] == "/StartDate"


def test_status_ids_from_settings(settings, api):
    settings.TDX_STATUS_IDS = {TicketState.INSTALLED: 77}
    client = TDXClient(
        base_url=BASE, beid="beid-guid", web_services_key="ws-key", app_id=31, asset_app_id=40
    )
    api.add(
        responses.GET,
        f"{API}/31/tickets/101",
        json=ticket_body(status_id=77, status_class="InProcess"),
    )
    assert client.get_ticket_status(ticket_id="101").status == TicketState.INSTALLED


def test_complete_task_sends_percent_complete(client, api):
    api.add(
        responses.POST,
        f"{API}/31/tickets/101/tasks/501/feed",
        json={"ID": 1, "PercentComplete": 100},
    )
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body(501, percent=100)])

    task = client.complete_task(ticket_id="101", task_id="501", comment="Prestaged")

    assert task.completed
    assert task.percent_complete == 100
    sent = json.loads(api.calls[1].request.body)
    assert sent["PercentComplete"] == 100
    assert sent["Comments"] == "Prestaged"


def test_comment_task_posts_to_the_task_feed_without_completing_it(client, api):
    api.add(responses.POST, f"{API}/31/tickets/101/tasks/502/feed", json={"ID": 2})
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body(502, percent=40)])

    task = client.comment_task(ticket_id="101", task_id="502", comment="New time: Tue 9 AM")

    assert not task.completed
    sent = json.loads(api.calls[1].request.body)
    assert sent["Comments"] == "New time: Tue 9 AM"
    assert "PercentComplete" not in sent


def test_asset_search_by_serial_and_attach(client, api):
    api.add(
        responses.POST,
        f"{API}/40/assets/search",
        json=[
            {"ID": 7001, "SerialNumber": "NEW000010", "Name": "Other", "LocationName": ""},
            {"ID": 7002, "SerialNumber": "NEW00001", "Name": "Latitude 7450", "LocationName": "UH"},
        ],
        match=[matchers.json_params_matcher({"SerialLike": "NEW00001"})],
    )
    api.add(responses.POST, f"{API}/31/tickets/101/assets/7002", body="")

    asset = client.find_asset_by_serial(serial_number=" NEW00001 ")
    client.attach_asset(ticket_id="101", asset_id=asset.id)

    assert asset.id == "7002"
    assert asset.name == "Latitude 7450"
    assert api.calls[-1].request.url == f"{API}/31/tickets/101/assets/7002"


def test_asset_search_without_match_is_none(client, api):
    api.add(responses.POST, f"{API}/40/assets/search", json=[])
    assert client.find_asset_by_serial(serial_number="NOPE") is None


def test_bad_credentials_are_permanent(api):
    api.replace(responses.POST, LOGIN, status=401)
    client = TDXClient(
        base_url=BASE, beid="beid-guid", web_services_key="wrong", app_id=31, asset_app_id=40
    )
    with pytest.raises(PermanentITSMError):
        client.get_ticket_status(ticket_id="101")


def test_selected_by_settings(settings):
    from integrations.itsm import get_itsm_client

    settings.ITSM_CLIENT = "integrations.itsm.tdx.TDXClient"
    settings.TDX_BASE_URL = BASE
    assert isinstance(get_itsm_client(), TDXClient)


def test_token_shared_through_the_cache(client, api):
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    client.get_ticket_status(ticket_id="101")
    other = TDXClient(
        base_url=BASE, beid="beid-guid", web_services_key="ws-key", app_id=31, asset_app_id=40
    )
    other.get_ticket_status(ticket_id="101")
    assert len([c for c in api.calls if c.request.url == LOGIN]) == 1


def test_changed_location_ticket_and_change_request(client, api):
    api.add(responses.POST, f"{API}/31/tickets", json=ticket_body(202, Title="Changed location"))
    api.add(responses.POST, f"{API}/31/tickets/101/feed", json={"ID": 1})
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])

    moved = client.open_changed_location_ticket(
        related_ticket_id="101",
        requestor_email="ann@x.edu",
        old_location="UH 1",
        new_location="UH 2",
        idempotency_key="loc-1",
    )
    changed = client.file_change_request(
        ticket_id="101", text="Move to Dec 3", requested_by="Ann", idempotency_key="cr-1"
    )

    assert moved.id == "202"
    assert changed == "101"
    create = next(c for c in api.calls if "/tickets?" in c.request.url)
    assert "UH 2" in json.loads(create.request.body)["Description"]
    feed = next(c for c in api.calls if c.request.url.endswith("/feed"))
    assert "Move to Dec 3" in json.loads(feed.request.body)["Comments"]
