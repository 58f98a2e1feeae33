"""A fake TeamDynamix tenant for ``responses``: recorded-shape bodies from the documented types.

Shapes follow TeamDynamix's Web API types: ``Ticket`` (``StatusClass`` an
integer: 1 New, 2 In process, 3 Completed, 4 Cancelled, 5 On hold, 6
Requested), ``TicketTask``, ``TicketStatus``, ``User`` from the people lookup;
the sign-in answers a JWT as text; a 429 carries ``X-RateLimit-Reset`` as an
RFC 1123 date.
"""

import base64
import json
import time

import pytest
import responses
from responses import matchers

from integrations.itsm import NewTicket

BASE = "https://tdx.example.edu"
API = f"{BASE}/TDWebApi/api"
LOGIN = f"{API}/auth/loginadmin"
LAB_UID = "0c8d2a6e-0000-4000-8000-00000000aaaa"
ANN_UID = "7d1f7e2c-1111-4111-8111-111111111111"

STATUS_IDS = {
    "new": 101,
    "open": 102,
    "in_process": 102,
    "on_hold": 104,
    "installed": 107,
    "closed": 105,
    "cancelled": 106,
}
STATUSES = [
    {"ID": 101, "AppID": 31, "Name": "New", "StatusClass": 1, "IsActive": True},
    {"ID": 102, "AppID": 31, "Name": "In Process", "StatusClass": 2, "IsActive": True},
    {"ID": 104, "AppID": 31, "Name": "On Hold", "StatusClass": 5, "IsActive": True},
    {"ID": 105, "AppID": 31, "Name": "Closed", "StatusClass": 3, "IsActive": True},
    {"ID": 106, "AppID": 31, "Name": "Cancelled", "StatusClass": 4, "IsActive": True},
    {"ID": 107, "AppID": 31, "Name": "Installed", "StatusClass": 2, "IsActive": True},
]
TYPE_IDS = {"device_refresh": 12, "changed_location": 13, "change_request": 14}


def jwt(exp: float) -> str:
    """A token shaped like TDX's (header.claims.signature) with this ``exp``."""

    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"tdx_entity": "2", "exp": int(exp), "iat": int(time.time()), "iss": "TD"}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def ticket_body(ticket_id=101, status_id=101, status_class=1, **extra):
    return {
        "ID": ticket_id,
        "AppID": 31,
        "Title": "Device refresh RT-1: OLD00001",
        "TypeID": 12,
        "StatusID": status_id,
        "StatusName": "New",
        "StatusClass": status_class,
        "RequestorUid": ANN_UID,
        "Description": "",
        "Attributes": [],
        "ModifiedDate": "2026-11-20T15:04:05Z",
        "Uri": f"api/31/tickets/{ticket_id}",
        **extra,
    }


def task_body(task_id=501, ticket_id=101, title="Prestage", percent=0):
    return {
        "ID": task_id,
        "TicketID": ticket_id,
        "Title": title,
        "EstimatedMinutes": 30,
        "PercentComplete": percent,
        "CompletedDate": None,
        "Uri": f"api/31/tickets/{ticket_id}/tasks/{task_id}",
    }


def person(uid=ANN_UID, email="ann@med.example.edu"):
    return {
        "UID": uid,
        "FullName": "Ann Arbor",
        "PrimaryEmail": email,
        "AlertEmail": email,
        "UserName": email,
        "IsActive": True,
    }


@pytest.fixture
def tenant(settings):
    """Settings for a fully wired tenant (what docs/integrations.md walks through)."""
    settings.ITSM_CLIENT = "integrations.itsm.tdx.TDXClient"
    settings.TDX_BASE_URL = BASE
    settings.TDX_API_PATH = "TDWebApi"
    settings.TDX_WEB_PATH = ""
    settings.TDX_BEID = "beid-guid"
    settings.TDX_WEB_SERVICES_KEY = "ws-key"
    settings.TDX_APP_ID = 31
    settings.TDX_ASSET_APP_ID = 40
    settings.TDX_STATUS_IDS = dict(STATUS_IDS)
    settings.TDX_TYPE_IDS = dict(TYPE_IDS)
    settings.TDX_FORM_IDS = {"device_refresh": 55}
    settings.TDX_ACCOUNT_ID = "7"
    settings.TDX_ACCOUNT_IDS = {}
    settings.TDX_PREFER_REQUESTOR_ACCOUNT = False
    settings.TDX_PRIORITY_ID = "20"
    settings.TDX_SOURCE_ID = "8"
    settings.TDX_GROUP_IDS = {"Medical Campus": 4401}
    settings.TDX_DEFAULT_GROUP_ID = ""
    settings.TDX_LOCATION_IDS = {"UH": 9001}
    settings.TDX_DEFAULT_LOCATION_ID = ""
    settings.TDX_ATTRIBUTES = {"device_refresh": {"5501": "{reference}", "5502": "Laptop"}}
    settings.TDX_MARKER_ATTRIBUTE_ID = ""
    settings.TDX_REQUESTOR_POLICY = "refuse"
    settings.TDX_DEFAULT_REQUESTOR_UID = LAB_UID
    settings.TDX_TASK_MINUTES = {"Prestage": 45}
    settings.TDX_TASK_DEFAULT_MINUTES = 30
    return settings


@pytest.fixture
def api():
    """The tenant's Web API; sign-in answers a token valid for 24 h by its ``exp``."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(
            responses.POST,
            LOGIN,
            body=jwt(time.time() + 24 * 3600),
            content_type="text/plain",
            match=[matchers.json_params_matcher({"BEID": "beid-guid", "WebServicesKey": "ws-key"})],
        )
        yield mock


# --- what the client sends (tests/integrations/tdx/) --------------------------------

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


def calls(api, method, url):  # noqa: F811
    return [
        c for c in api.calls if c.request.method == method and c.request.url.split("?")[0] == url
    ]


def sent(call) -> dict:
    return json.loads(call.request.body)


def marked(ticket_id, key, **extra):
    return ticket_body(ticket_id, Description=f"Replace it\n\nHandover reference: {key}", **extra)
