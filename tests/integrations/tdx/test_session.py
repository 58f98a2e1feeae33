"""The TeamDynamix client's sign-in, tokens and rate limits, against a fake tenant."""

import datetime as dt
import time

import pytest
import responses
import time_machine

from integrations.itsm import ITSMRateLimited, PermanentITSMError, TicketState, TransientITSMError
from integrations.itsm.limits import rfc1123, window_wait
from integrations.itsm.tdx import TDXClient
from tests.integrations.tdx_fakes import API, BASE, LOGIN, calls, jwt, task_body, ticket_body

pytestmark = pytest.mark.django_db


# --- sign-in and tokens ------------------------------------------------------------


def test_login_once_and_bearer_on_every_call(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body()])

    ticket = client.get_ticket(ticket_id="101")
    client.get_ticket_status(ticket_id="101")

    assert ticket.id == "101"
    assert ticket.status == TicketState.NEW
    assert ticket.tasks[0].title == "Prestage"
    assert ticket.url == f"{BASE}/TDNext/Apps/31/Tickets/TicketDet?TicketID=101"
    assert len(calls(api, "POST", LOGIN)) == 1
    token = api.calls[0].response.text
    for call in api.calls[1:]:
        assert call.request.headers["Authorization"] == f"Bearer {token}"
        assert call.request.req_kwargs["timeout"], call.request.url


def test_token_is_kept_until_its_exp_claim_not_24_hours(client, api):  # noqa: F811
    start = dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    with time_machine.travel(start, tick=False):
        api.replace(
            responses.POST, LOGIN, body=jwt(start.timestamp() + 20 * 60), content_type="text/plain"
        )
        client.get_ticket_status(ticket_id="101")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        client.get_ticket_status(ticket_id="101")
        assert len(calls(api, "POST", LOGIN)) == 1
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        client.get_ticket_status(ticket_id="101")  # within 5 minutes of exp: sign in again
    assert len(calls(api, "POST", LOGIN)) == 2


def test_token_shared_through_the_cache(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    client.get_ticket_status(ticket_id="101")
    TDXClient().get_ticket_status(ticket_id="101")
    assert len(calls(api, "POST", LOGIN)) == 1


def test_401_reauthenticates_once(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", status=401)
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=107))

    status = client.get_ticket_status(ticket_id="101")

    assert status.installed
    assert not status.closed
    assert len(calls(api, "POST", LOGIN)) == 2


def test_401_twice_is_permanent(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", status=401)
    with pytest.raises(PermanentITSMError):
        client.get_ticket_status(ticket_id="101")
    assert len(calls(api, "POST", LOGIN)) == 2


def test_bad_credentials_are_permanent(client, api):  # noqa: F811
    api.replace(responses.POST, LOGIN, status=401)
    with pytest.raises(PermanentITSMError, match="TDX_WEB_SERVICES_KEY"):
        client.get_ticket_status(ticket_id="101")


def test_429_on_login_is_transient_not_wrong_credentials(client, api):  # noqa: F811
    reset = rfc1123(time.time() + 20)
    api.replace(responses.POST, LOGIN, status=429, headers={"X-RateLimit-Reset": reset})
    with pytest.raises(ITSMRateLimited) as caught:
        client.get_ticket_status(ticket_id="101")
    assert isinstance(caught.value, TransientITSMError)
    assert not isinstance(caught.value, PermanentITSMError)
    assert 23 <= caught.value.retry_after <= 26


# --- limits ------------------------------------------------------------------------


def test_429_with_short_rfc1123_reset_waits_reset_plus_5s_then_retries(client, api, sleeps):  # noqa: F811
    reset = rfc1123(time.time() + 3)
    api.add(
        responses.GET, f"{API}/31/tickets/101", status=429, headers={"X-RateLimit-Reset": reset}
    )
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=105))

    status = client.get_ticket_status(ticket_id="101")

    assert status.closed
    assert len(sleeps) == 1
    assert 6 <= sleeps[0] <= 8.5


def test_429_with_long_reset_raises_rate_limited_and_holds_back(client, api, sleeps):  # noqa: F811
    reset = rfc1123(time.time() + 50)
    api.add(
        responses.GET, f"{API}/31/tickets/101", status=429, headers={"X-RateLimit-Reset": reset}
    )

    with pytest.raises(ITSMRateLimited) as caught:
        client.get_ticket_status(ticket_id="101")

    assert 53 <= caught.value.retry_after <= 56
    assert sleeps == []
    # The next call does not hammer TDX while the window is closed.
    with pytest.raises(ITSMRateLimited):
        client.get_ticket_status(ticket_id="101")
    assert len(calls(api, "GET", f"{API}/31/tickets/101")) == 1


def test_documented_limits_ticket_create_30_others_60(client):
    assert client.config.limit_for("POST.tickets") == 30
    assert client.config.limit_for("GET.tickets") == 60
    assert client.config.limit_for("POST.tickets/feed") == 60


def test_window_starts_at_the_first_call_not_on_the_clock_minute():
    first = dt.datetime(2026, 12, 1, 15, 0, 40, tzinfo=dt.UTC)
    with time_machine.travel(first, tick=False):
        assert [window_wait(bucket="t", limit=30) for _ in range(30)] == [0.0] * 30
    # 20 s later the clock minute has turned, but TDX's window has not.
    with time_machine.travel(first + dt.timedelta(seconds=20), tick=False):
        assert window_wait(bucket="t", limit=30) == pytest.approx(40)
    with time_machine.travel(first + dt.timedelta(seconds=61), tick=False):
        assert window_wait(bucket="t", limit=30) == 0.0  # a new window


def test_own_limit_per_method(tenant, api):  # noqa: F811
    tenant.TDX_RATE_LIMITS = {"GET.tickets": 2}
    tenant.TDX_MAX_INLINE_WAIT_SECONDS = 0.001
    client = TDXClient()
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.POST, f"{API}/40/assets/search", json=[])
    client.get_ticket_status(ticket_id="101")
    client.get_ticket_status(ticket_id="101")
    client.find_asset_by_serial(serial_number="X")  # another method: its own budget
    with pytest.raises(ITSMRateLimited):
        client.get_ticket_status(ticket_id="101")
    assert len(calls(api, "GET", f"{API}/31/tickets/101")) == 2


def test_last_call_of_a_window_holds_the_next_until_the_reset(client, api, sleeps):  # noqa: F811
    reset = rfc1123(time.time() + 40)
    api.add(
        responses.GET,
        f"{API}/31/tickets/101",
        json=ticket_body(),
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )
    client.get_ticket_status(ticket_id="101")
    with pytest.raises(ITSMRateLimited) as caught:
        client.get_ticket_status(ticket_id="101")
    assert 42 <= caught.value.retry_after <= 46
    assert len(calls(api, "GET", f"{API}/31/tickets/101")) == 1
