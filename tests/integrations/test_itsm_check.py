"""``manage.py itsm_check`` against a fake TeamDynamix tenant, and run on the stub."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import responses
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from integrations.services import stub_outage_set
from tests.integrations.tdx_fakes import (  # noqa: F401  (fixtures)
    API,
    LAB_UID,
    LOGIN,
    STATUSES,
    api,
    tenant,
)

ROOT = Path(__file__).resolve().parents[2]


def tenant_answers(api, *, types=None, statuses=None):  # noqa: F811
    """What a wired tenant answers to each read the check makes."""
    api.add(responses.GET, f"{API}/31/tickets/statuses", json=statuses or STATUSES)
    api.add(
        responses.GET,
        f"{API}/31/tickets/types",
        json=types
        or [
            {"ID": 12, "Name": "Device Refresh", "IsActive": True},
            {"ID": 13, "Name": "Location Change", "IsActive": True},
            {"ID": 14, "Name": "Refresh Change Request", "IsActive": True},
        ],
    )
    api.add(responses.GET, f"{API}/31/tickets/forms", json=[{"ID": 55, "Name": "Refresh Form"}])
    api.add(responses.GET, f"{API}/31/tickets/priorities", json=[{"ID": 20, "Name": "Medium"}])
    api.add(responses.GET, f"{API}/31/tickets/sources", json=[{"ID": 8, "Name": "Systems"}])
    api.add(responses.GET, f"{API}/groups/4401", json={"ID": 4401, "Name": "Med Campus Desk"})
    api.add(responses.GET, f"{API}/accounts/7", json={"ID": 7, "Name": "Health System"})
    api.add(
        responses.GET, f"{API}/locations/9001", json={"ID": 9001, "Name": "University Hospital"}
    )
    api.add(
        responses.GET,
        f"{API}/attributes/custom",
        json=[{"ID": 5501, "Name": "Refresh number"}, {"ID": 5502, "Name": "Device class"}],
    )
    api.add(responses.GET, f"{API}/people/{LAB_UID}", json={"UID": LAB_UID, "FullName": "Lab"})


def run_check() -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("itsm_check", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.mark.django_db
def test_a_wired_tenant_passes_and_every_id_says_what_it_is(tenant, api):  # noqa: F811
    tenant_answers(api)
    output, error = run_check()
    assert error is None, output
    assert "TeamDynamix at https://tdx.example.edu/TDWebApi/api (tickets app 31" in output
    assert "Signed in: yes" in output
    assert "[installed] = 107 → Installed (In process)" in output
    assert "[closed] = 105 → Closed (Completed)" in output
    assert "[change_request] = 14 → Refresh Change Request" in output
    assert "[Medical Campus] = 4401 → Med Campus Desk" in output
    assert "[device_refresh:5501] = 5501 → Refresh number ← {reference}" in output
    assert "Everything configured exists." in output
    assert "MISSING" not in output


@pytest.mark.django_db
def test_missing_ids_and_a_closed_status_that_is_not_completed_fail(tenant, api):  # noqa: F811
    statuses = [dict(s, StatusClass=2) if s["ID"] == 105 else s for s in STATUSES]
    tenant_answers(api, types=[{"ID": 12, "Name": "Device Refresh"}], statuses=statuses)
    api.replace(responses.GET, f"{API}/groups/4401", status=404, json={"Message": "Not found"})

    output, error = run_check()

    assert error is not None
    assert "3 configured value(s) missing" in str(error)
    assert "MISSING TDX_TYPE_IDS" in output
    assert "[changed_location] = 13" in output
    assert "[Medical Campus] = 4401" in output
    assert "Handover needs a Completed status there" in output


@pytest.mark.django_db
def test_an_unfinished_configuration_is_listed_not_a_crash(tenant, api):  # noqa: F811
    tenant.TDX_STATUS_IDS = {"new": 101}
    tenant_answers(api)
    output, error = run_check()
    assert error is not None
    assert "[installed] = (not set)" in output
    assert "problem: TDX_STATUS_IDS has no status ID for 'installed'" in output


@pytest.mark.django_db
def test_refused_sign_in_says_so(tenant, api):  # noqa: F811
    api.replace(responses.POST, LOGIN, status=401)
    output, error = run_check()
    assert error is not None
    assert "Signed in: no" in output
    assert "TDX_WEB_SERVICES_KEY" in output


def _database_url(tmp_path) -> str:
    """The test database for the subprocess (PostgreSQL), or a freshly migrated SQLite file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    url = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    _manage(["migrate", "-v0"], url, tmp_path, check=True)
    return url


def _manage(args, database_url, tmp_path, check=False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="itsm-check-subprocess-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        HANDOVER_VAR_DIR=str(tmp_path),
        ITSM_CLIENT="integrations.itsm.stub.StubITSMClient",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


@pytest.mark.django_db(transaction=True)
def test_the_command_checks_the_stub_as_a_person_runs_it(tmp_path):
    url = _database_url(tmp_path)
    ok = _manage(["itsm_check"], url, tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "ITSM: Stub ITSM (in this database)" in ok.stdout
    assert "Everything configured exists." in ok.stdout

    if connection.vendor != "postgresql":
        return  # the outage switch below lives in the test database
    stub_outage_set(on=True)
    down = _manage(["itsm_check"], url, tmp_path)
    assert down.returncode == 1
    assert "outage switch is on" in down.stdout
