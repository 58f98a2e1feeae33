"""How the TeamDynamix client classes HTTP errors and ticket statuses."""

import pytest
import requests
import responses

from integrations.itsm import ITSMNotFound, PermanentITSMError, TicketState, TransientITSMError
from integrations.models import StubIdempotencyKey
from tests.integrations.tdx_fakes import (
    API,
    CREATE,
    LOOKUP,
    NEW,
    SEARCH,
    calls,
    person,
    ticket_body,
)

pytestmark = pytest.mark.django_db


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
