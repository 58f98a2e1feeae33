"""Updating TeamDynamix tickets and tasks; finding assets and their owners."""

import datetime as dt

import pytest
import responses

from integrations.itsm import TicketState
from tests.integrations.tdx_fakes import API, calls, sent, task_body, ticket_body

pytestmark = pytest.mark.django_db


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
