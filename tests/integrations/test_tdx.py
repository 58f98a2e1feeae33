"""The TeamDynamix client against a fake tenant with recorded-shape responses (``responses``)."""

import datetime as dt
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
import time_machine
from django.core.exceptions import ImproperlyConfigured

from integrations.itsm import (
    ITSMNotFound,
    ITSMRateLimited,
    NewTicket,
    PermanentITSMError,
    TicketKind,
    TicketState,
    TransientITSMError,
)
from integrations.itsm.limits import rfc1123, window_wait
from integrations.itsm.tdx import TDXClient
from integrations.models import StubIdempotencyKey
from tests.integrations.tdx_fakes import (  # noqa: F401  (fixtures)
    ANN_UID,
    API,
    BASE,
    LAB_UID,
    LOGIN,
    api,
    jwt,
    person,
    task_body,
    tenant,
    ticket_body,
)

pytestmark = pytest.mark.django_db

NEW = NewTicket(
    title="Device refresh RT-1: OLD00001",
    description="Replace the Latitude",
    requestor_email="ann@med.example.edu",
    requestor_name="Ann Arbor",
    location="UH 1210",
    building="UH",
    support_team="Medical Campus",
)
CREATE = f"{API}/31/tickets"
SEARCH = f"{API}/31/tickets/search"
LOOKUP = f"{API}/people/lookup"


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(tenant, sleeps):  # noqa: F811
    return TDXClient(sleep=sleeps.append)


def calls(api, method, url):  # noqa: F811
    return [
        c for c in api.calls if c.request.method == method and c.request.url.split("?")[0] == url
    ]


def sent(call) -> dict:
    return json.loads(call.request.body)


def marked(ticket_id, key, **extra):
    return ticket_body(ticket_id, Description=f"Replace it\n\nHandover reference: {key}", **extra)


# --- configuration --------------------------------------------------------------


def test_refuses_to_start_until_every_state_and_type_is_mapped(tenant):  # noqa: F811
    tenant.TDX_STATUS_IDS = {"new": 101, "closed": 105}
    tenant.TDX_TYPE_IDS = {"device_refresh": 12}
    tenant.TDX_DEFAULT_REQUESTOR_UID = ""
    with pytest.raises(ImproperlyConfigured) as caught:
        TDXClient()
    message = str(caught.value)
    assert "TDX_STATUS_IDS has no status ID for 'installed'" in message
    assert "TDX_TYPE_IDS has no ticket type ID for 'change_request'" in message
    assert "TDX_DEFAULT_REQUESTOR_UID is not set" in message
    assert "docs/integrations.md" in message


def test_installed_must_have_a_status_of_its_own(tenant):  # noqa: F811
    tenant.TDX_STATUS_IDS = {**tenant.TDX_STATUS_IDS, "installed": 105}
    with pytest.raises(ImproperlyConfigured, match="could not tell installed apart"):
        TDXClient()


def test_deploy_check_lists_the_same_problems_only_for_tdx(tenant):  # noqa: F811
    from integrations.checks import tdx_configured

    assert tdx_configured() == []
    tenant.TDX_TYPE_IDS = {}
    tenant.TDX_ACCOUNT_ID = ""
    errors = tdx_configured()
    assert {e.id for e in errors} == {"integrations.E001"}
    text = " ".join(e.msg for e in errors)
    assert "'changed_location'" in text
    assert "TDX_PREFER_REQUESTOR_ACCOUNT" in text
    tenant.ITSM_CLIENT = "integrations.itsm.stub.StubITSMClient"
    assert tdx_configured() == []


def test_selected_by_settings(tenant):  # noqa: F811
    from integrations.itsm import get_itsm_client

    assert isinstance(get_itsm_client(), TDXClient)


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


# --- errors ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_transient(client, api, status):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", status=status)
    with pytest.raises(TransientITSMError):
        client.get_ticket_status(ticket_id="101")


def test_timeout_is_transient(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", body=requests.ReadTimeout("slow"))
    with pytest.raises(TransientITSMError):
        client.get_ticket_status(ticket_id="101")


def test_404_not_found_and_400_permanent(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/999", status=404, json={"Message": "Not found"})
    api.add(responses.POST, f"{API}/31/tickets/101/feed", status=400, json={"Message": "Bad"})
    with pytest.raises(ITSMNotFound):
        client.get_ticket_status(ticket_id="999")
    with pytest.raises(PermanentITSMError) as caught:
        client.update_ticket(ticket_id="101", comment="hi", idempotency_key="u1")
    assert not isinstance(caught.value, ITSMNotFound)


def test_400_for_a_missing_type_id_is_permanent_and_not_retried(client, api):  # noqa: F811
    api.add(responses.GET, LOOKUP, json=[person()])
    api.add(responses.POST, SEARCH, json=[])
    api.add(
        responses.POST,
        CREATE,
        status=400,
        json={"Message": "TypeID: The ticket type is required.", "ErrorCode": 0},
    )
    with pytest.raises(PermanentITSMError, match="TypeID"):
        client.create_ticket(ticket=NEW, task_titles=["Prestage"], idempotency_key="rt-1")
    assert len(calls(api, "POST", CREATE)) == 1
    assert not StubIdempotencyKey.objects.filter(service="tdx").exists()


# --- statuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status_class", "state", "closed"),
    [
        (1, TicketState.NEW, False),
        (2, TicketState.IN_PROCESS, False),
        (3, TicketState.CLOSED, True),
        (4, TicketState.CANCELLED, False),
        (5, TicketState.ON_HOLD, False),
        (6, TicketState.NEW, False),
    ],
)
def test_integer_status_class_of_an_unmapped_status(client, api, status_class, state, closed):  # noqa: F811
    api.add(
        responses.GET,
        f"{API}/31/tickets/101",
        json=ticket_body(status_id=999, status_class=status_class),
    )
    status = client.get_ticket_status(ticket_id="101")
    assert status.status == state
    assert status.closed is closed


def test_mapped_status_ids_win_over_the_class(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=107, status_class=2))
    status = client.get_ticket_status(ticket_id="101")
    assert status.status == TicketState.INSTALLED
    assert status.installed
    assert not status.closed


# --- creating tickets -----------------------------------------------------------------


def test_create_sends_every_configured_field(client, api):  # noqa: F811
    api.add(responses.GET, LOOKUP, json=[person(uid="other", email="ann@elsewhere.edu"), person()])
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(501, title="Prestage"))
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(502, title="Deliver"))

    ticket = client.create_ticket(
        ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key="handover-refresh-1"
    )

    assert ticket.id == "101"
    assert [t.id for t in ticket.tasks] == ["501", "502"]
    create = calls(api, "POST", CREATE)[0]
    body = sent(create)
    assert body["TypeID"] == 12
    assert body["FormID"] == 55
    assert body["AccountID"] == 7
    assert body["PriorityID"] == 20
    assert body["SourceID"] == 8
    assert body["StatusID"] == 101
    assert body["ResponsibleGroupID"] == 4401
    assert body["LocationID"] == 9001
    assert body["RequestorUid"] == ANN_UID
    assert "RequestorEmail" not in body
    assert body["Attributes"] == [
        {"ID": 5501, "Value": "handover-refresh-1"},
        {"ID": 5502, "Value": "Laptop"},
    ]
    assert "UH 1210" in body["Description"]
    assert body["Description"].endswith("Handover reference: handover-refresh-1")
    query = parse_qs(urlsplit(create.request.url).query)
    assert query["NotifyRequestor"] == ["false"]
    assert query["AllowRequestorCreation"] == ["false"]
    tasks = calls(api, "POST", f"{API}/31/tickets/101/tasks")
    assert [sent(c)["EstimatedMinutes"] for c in tasks] == [45, 30]
    lookup = parse_qs(urlsplit(calls(api, "GET", LOOKUP)[0].request.url).query)
    assert lookup["searchText"] == ["ann@med.example.edu"]


def test_titles_are_cut_to_300_characters(client, api):  # noqa: F811
    api.add(responses.GET, LOOKUP, json=[person()])
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body())
    long = NewTicket(title="T" * 500, description="d", requestor_email="ann@med.example.edu")

    client.create_ticket(ticket=long, task_titles=["K" * 400], idempotency_key="rt-long")

    assert len(sent(calls(api, "POST", CREATE)[0])["Title"]) == 300
    assert len(sent(calls(api, "POST", f"{API}/31/tickets/101/tasks")[0])["Title"]) == 300


def test_no_matching_person_is_refused_with_a_clear_error(client, api):  # noqa: F811
    api.add(responses.GET, LOOKUP, json=[person(email="someone@else.edu")])
    api.add(responses.POST, SEARCH, json=[])
    with pytest.raises(PermanentITSMError, match="No TeamDynamix person has the email"):
        client.create_ticket(ticket=NEW, task_titles=[], idempotency_key="rt-1")
    assert calls(api, "POST", CREATE) == []


def test_policy_create_lets_tdx_create_the_person_from_the_name(tenant, api):  # noqa: F811
    tenant.TDX_REQUESTOR_POLICY = "create"
    api.add(responses.GET, LOOKUP, json=[])
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body())

    TDXClient().create_ticket(ticket=NEW, task_titles=[], idempotency_key="rt-1")

    create = calls(api, "POST", CREATE)[0]
    body = sent(create)
    assert "RequestorUid" not in body
    assert body["RequestorEmail"] == "ann@med.example.edu"
    assert (body["RequestorFirstName"], body["RequestorLastName"]) == ("Ann", "Arbor")
    assert parse_qs(urlsplit(create.request.url).query)["AllowRequestorCreation"] == ["true"]


def test_ticket_without_a_customer_uses_the_default_requestor(client, api):  # noqa: F811
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body())
    lab = NewTicket(title="Lab refresh", description="Lab PC", requestor_email="")

    client.create_ticket(ticket=lab, task_titles=[], idempotency_key="rt-lab")

    assert sent(calls(api, "POST", CREATE)[0])["RequestorUid"] == LAB_UID
    assert calls(api, "GET", LOOKUP) == []


def test_prefer_requestor_account_is_asked_for(tenant, api):  # noqa: F811
    tenant.TDX_ACCOUNT_ID = ""
    tenant.TDX_PREFER_REQUESTOR_ACCOUNT = True
    api.add(responses.GET, LOOKUP, json=[person()])
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body())

    TDXClient().create_ticket(ticket=NEW, task_titles=[], idempotency_key="rt-1")

    create = calls(api, "POST", CREATE)[0]
    assert "AccountID" not in sent(create)
    assert parse_qs(urlsplit(create.request.url).query)["PreferRequestorAccountAndPriority"] == [
        "true"
    ]


def test_retry_after_a_timeout_finds_the_saved_ticket_instead_of_a_second(client, api):  # noqa: F811
    key = "handover-refresh-1"
    api.add(responses.GET, LOOKUP, json=[person()])
    # First attempt: nothing found, TDX saves the ticket but the answer never arrives.
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(TransientITSMError):
        client.create_ticket(ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key=key)

    # The retry: the search finds a look-alike (another key) and ours.
    api.replace(responses.POST, SEARCH, json=[ticket_body(100), ticket_body(101)])
    api.add(responses.GET, f"{API}/31/tickets/100", json=marked(100, f"{key}0"))
    api.add(responses.GET, f"{API}/31/tickets/101", json=marked(101, key))
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(501, title="Prestage"))
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(502, title="Deliver"))

    ticket = client.create_ticket(
        ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key=key
    )

    assert ticket.id == "101"
    assert [t.title for t in ticket.tasks] == ["Prestage", "Deliver"]
    assert len(calls(api, "POST", CREATE)) == 1
    assert sent(calls(api, "POST", SEARCH)[-1])["SearchText"] == key


def test_retry_finishes_the_missing_tasks_instead_of_returning_early(client, api):  # noqa: F811
    key = "handover-refresh-1"
    StubIdempotencyKey.objects.create(service="tdx", key=key, result_id="101")
    api.add(responses.GET, f"{API}/31/tickets/101", json=marked(101, key))
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body(501, title="Prestage")])
    api.add(responses.POST, f"{API}/31/tickets/101/tasks", json=task_body(502, title="Deliver"))

    ticket = client.create_ticket(
        ticket=NEW, task_titles=["Prestage", "Deliver"], idempotency_key=key
    )

    assert [t.id for t in ticket.tasks] == ["501", "502"]
    posted = calls(api, "POST", f"{API}/31/tickets/101/tasks")
    assert [sent(c)["Title"] for c in posted] == ["Deliver"]
    assert calls(api, "POST", CREATE) == []
    assert calls(api, "POST", SEARCH) == []


def test_marker_attribute_searches_by_custom_attribute(tenant, api):  # noqa: F811
    tenant.TDX_MARKER_ATTRIBUTE_ID = "5599"
    key = "handover-refresh-1"
    found = ticket_body(101, Attributes=[{"ID": 5599, "Value": key}])
    api.add(responses.POST, SEARCH, json=[found])
    api.add(responses.GET, f"{API}/31/tickets/101", json=found)

    ticket = TDXClient().create_ticket(ticket=NEW, task_titles=[], idempotency_key=key)

    assert ticket.id == "101"
    assert sent(calls(api, "POST", SEARCH)[0])["CustomAttributes"] == [{"ID": 5599, "Value": key}]
    assert calls(api, "POST", CREATE) == []


def test_change_request_is_its_own_ticket_noted_on_the_original(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body(303, TypeID=14))
    api.add(responses.POST, f"{API}/31/tickets/101/feed", json={"ID": 1})
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[])

    filed = client.file_change_request(
        ticket_id="101", text="Add a second monitor", requested_by="Ann", idempotency_key="cr-1"
    )

    assert filed == "303"
    body = sent(calls(api, "POST", CREATE)[0])
    assert body["TypeID"] == 14
    assert body["RequestorUid"] == ANN_UID
    assert "Add a second monitor" in body["Title"]
    feed = sent(calls(api, "POST", f"{API}/31/tickets/101/feed")[0])
    assert "ticket 303" in feed["Comments"]
    assert feed["IsPrivate"] is True


def test_changed_location_ticket_has_its_type(client, api):  # noqa: F811
    api.add(responses.GET, LOOKUP, json=[person(email="ann@x.edu")])
    api.add(responses.POST, SEARCH, json=[])
    api.add(responses.POST, CREATE, json=ticket_body(202, TypeID=13))

    moved = client.open_changed_location_ticket(
        related_ticket_id="101",
        requestor_email="ann@x.edu",
        old_location="UH 1",
        new_location="UH 2",
        idempotency_key="loc-1",
    )

    assert moved.id == "202"
    body = sent(calls(api, "POST", CREATE)[0])
    assert body["TypeID"] == 13
    assert "UH 2" in body["Description"]
    assert "FormID" not in body  # forms are configured per kind


# --- updates and tasks --------------------------------------------------------------------


def test_update_ticket_posts_a_private_feed_with_status_once(client, api):  # noqa: F811
    api.add(responses.POST, f"{API}/31/tickets/101/feed", json={"ID": 9001})
    api.add(responses.PATCH, f"{API}/31/tickets/101", json=ticket_body())
    api.add(responses.GET, f"{API}/31/tickets/101", json=ticket_body(status_id=104, status_class=5))
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
    feeds = calls(api, "POST", f"{API}/31/tickets/101/feed")
    assert len(feeds) == 1
    assert sent(feeds[0])["NewStatusID"] == 104
    assert sent(feeds[0])["IsPrivate"] is True
    patch = calls(api, "PATCH", f"{API}/31/tickets/101")[0]
    assert sent(patch)[0]["path"] == "/StartDate"


def test_complete_task_sends_percent_complete_privately(client, api):  # noqa: F811
    url = f"{API}/31/tickets/101/tasks/501/feed"
    api.add(responses.POST, url, json={"ID": 1, "PercentComplete": 100})
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body(501, percent=100)])

    task = client.complete_task(ticket_id="101", task_id="501", comment="Prestaged")

    assert task.completed
    body = sent(calls(api, "POST", url)[0])
    assert body["PercentComplete"] == 100
    assert body["Comments"] == "Prestaged"
    assert body["IsPrivate"] is True


def test_task_comments_are_private_unless_said_otherwise(client, api):  # noqa: F811
    url = f"{API}/31/tickets/101/tasks/502/feed"
    api.add(responses.POST, url, json={"ID": 2})
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body(502, percent=40)])

    client.comment_task(ticket_id="101", task_id="502", comment="New time: Tue 9 AM")
    task = client.comment_task(ticket_id="101", task_id="502", comment="Hi", private=False)

    assert not task.completed
    first, second = (sent(c) for c in calls(api, "POST", url))
    assert first["IsPrivate"] is True
    assert "PercentComplete" not in first
    assert second["IsPrivate"] is False


def test_add_task_retry_adopts_the_saved_task(client, api):  # noqa: F811
    api.add(responses.GET, f"{API}/31/tickets/101/tasks", json=[task_body(505, title="Recycle")])
    task = client.add_task(ticket_id="101", title="Recycle", idempotency_key="t-1")
    assert task.id == "505"
    assert calls(api, "POST", f"{API}/31/tickets/101/tasks") == []


def test_asset_search_by_serial_and_attach(client, api):  # noqa: F811
    from responses import matchers

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


def test_asset_search_without_match_is_none(client, api):  # noqa: F811
    api.add(responses.POST, f"{API}/40/assets/search", json=[])
    assert client.find_asset_by_serial(serial_number="NOPE") is None


def test_asset_owner_from_the_asset_search_and_people(client, api):  # noqa: F811
    api.add(
        responses.POST,
        f"{API}/40/assets/search",
        json=[
            {
                "ID": 7002,
                "SerialNumber": "OLD00001",
                "OwningCustomerID": "uid-ann",
                "OwningCustomerName": "Ann Lee",
                "OwningDepartmentName": "Medical IT",
                "LocationName": "University Hospital",
                "LocationRoomName": "B210",
            }
        ],
    )
    api.add(responses.GET, f"{API}/people/uid-ann", json={"PrimaryEmail": "ann@x.edu"})

    owner = client.find_asset_owner(serial_number="OLD00001")

    assert owner.asset_id == "7002"
    assert owner.owner_email == "ann@x.edu"
    assert owner.owner_name == "Ann Lee"
    assert owner.support_group == "Medical IT"
    assert owner.location == "University Hospital, B210"


def test_asset_owner_of_an_unknown_serial_is_none(client, api):  # noqa: F811
    api.add(responses.POST, f"{API}/40/assets/search", json=[])
    assert client.find_asset_owner(serial_number="NOPE") is None


# --- environments -------------------------------------------------------------------------


def test_sandbox_path_for_calls_and_staff_links(tenant):  # noqa: F811
    tenant.TDX_API_PATH = "SBTDWebApi"
    client = TDXClient()
    sandbox = f"{BASE}/SBTDWebApi/api"
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, f"{sandbox}/auth/loginadmin", body=jwt(time.time() + 3600))
        mock.add(responses.GET, f"{sandbox}/31/tickets/101", json=ticket_body())
        mock.add(responses.GET, f"{sandbox}/31/tickets/101/tasks", json=[])
        ticket = client.get_ticket(ticket_id="101")
    assert ticket.url == f"{BASE}/SBTDNext/Apps/31/Tickets/TicketDet?TicketID=101"


def test_on_premises_path(tenant):  # noqa: F811
    tenant.TDX_BASE_URL = "https://help.example.edu/"
    tenant.TDX_API_PATH = "/itsm/TDWebApi/"
    client = TDXClient()
    assert client.config.api_root == "https://help.example.edu/itsm/TDWebApi/api"
    assert client.ticket_url(ticket_id="9") == (
        "https://help.example.edu/itsm/TDNext/Apps/31/Tickets/TicketDet?TicketID=9"
    )
    tenant.TDX_WEB_PATH = "itsm/TDNext-staff"
    assert "/itsm/TDNext-staff/Apps/31/" in TDXClient().ticket_url(ticket_id="9")


def test_kind_labels_cover_every_kind():
    assert set(TicketKind.LABELS) == set(TicketKind.ALL)


def test_environment_values_empty_or_not_json_are_explained():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def settings_with(**env):
        return subprocess.run(
            [sys.executable, "-c", "import config.settings as s; print(s.TDX_STATUS_IDS)"],
            cwd=root,
            env={**os.environ, "DEBUG": "true", "PYTHONPATH": str(root), **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    empty = settings_with(TDX_APP_ID="", TDX_STATUS_IDS="", TDX_TYPE_IDS="")
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.strip() == "{}"
    broken = settings_with(TDX_STATUS_IDS='{"new": 101')
    assert broken.returncode != 0
    assert "TDX_STATUS_IDS must be a JSON object" in broken.stderr


def test_check_deploy_fails_while_tdx_is_selected_but_unmapped(tenant):  # noqa: F811
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    call_command("check", "--deploy", "--tag", "integrations")
    tenant.TDX_STATUS_IDS = {}
    with pytest.raises(SystemCheckError) as caught:
        call_command("check", "--deploy", "--tag", "integrations")
    assert "integrations.E001" in str(caught.value)
    assert "TDX_STATUS_IDS has no status ID for 'closed'" in str(caught.value)


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
