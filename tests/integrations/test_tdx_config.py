"""The TeamDynamix client's configuration: mapped states and types, deploy checks, environments."""

import time

import pytest
import responses
from django.core.exceptions import ImproperlyConfigured

from integrations.itsm import TicketKind
from integrations.itsm.tdx import TDXClient
from tests.integrations.tdx_fakes import (  # noqa: F401  (fixtures)
    BASE,
    jwt,
    tenant,
    ticket_body,
)

pytestmark = pytest.mark.django_db


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
