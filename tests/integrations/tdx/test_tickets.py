"""Creating TeamDynamix tickets: fields, requestors, idempotent retries, change requests."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from integrations.itsm import NewTicket, PermanentITSMError, TransientITSMError
from integrations.itsm.tdx import TDXClient
from integrations.models import StubIdempotencyKey
from tests.integrations.tdx_fakes import (
    ANN_UID,
    API,
    CREATE,
    LAB_UID,
    LOOKUP,
    NEW,
    SEARCH,
    calls,
    marked,
    person,
    sent,
    task_body,
    ticket_body,
)

pytestmark = pytest.mark.django_db


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
