"""End-of-life forecast counts on constructed systems, "start a refresh batch" from a
cell, lifecycle policies and the system dates importer."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts.roles import Role
from refresh.choices import Platform, SystemStatus
from refresh.models import RefreshBatch, System
from reports import forecast as fc
from reports import services
from reports.choices import LifecycleBasis
from reports.models import LifecyclePolicy
from tests.accounts.factories import OrganizationFactory
from tests.refresh.factories import HardwareModelFactory, RefreshConfigFactory, SystemFactory
from tests.scheduling.factories import ScheduleSlotPreferenceFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 4)
NOON = dt.datetime(2026, 3, 4, 12, tzinfo=zoneinfo.ZoneInfo("America/Detroit"))


def test_end_of_life_by_basis():
    bought, warranty = dt.date(2022, 1, 31), dt.date(2025, 6, 1)
    assert fc.end_of_life(purchase_date=bought, warranty_end=warranty, basis="age", months=49) == (
        dt.date(2026, 2, 28)
    )
    eol = fc.end_of_life(purchase_date=bought, warranty_end=warranty, basis="warranty", months=1)
    assert eol == warranty
    eol = fc.end_of_life(purchase_date=bought, warranty_end=warranty, basis="earliest", months=48)
    assert eol == warranty
    assert fc.end_of_life(purchase_date=None, warranty_end=None, basis="age", months=48) is None


def test_quarters_start_with_the_current_one():
    quarters = fc.next_quarters(today=TODAY)
    assert [q.code for q in quarters] == [
        "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4",
    ]  # fmt: skip
    assert quarters[0].start == dt.date(2026, 1, 1)
    assert quarters[-1].end == dt.date(2027, 12, 31)


@pytest.fixture
def fleet(team):
    """Systems whose end of life is known by construction (today: 2026-03-04)."""
    windows = HardwareModelFactory(name="Latitude 7440", platform=Platform.WINDOWS)
    other_windows = HardwareModelFactory(name="OptiPlex 7000", platform=Platform.WINDOWS)
    mac = HardwareModelFactory(manufacturer="Apple", name="MacBook Pro", platform=Platform.MAC)
    LifecyclePolicy.objects.create(hardware_model=windows, basis=LifecycleBasis.AGE, months=48)
    LifecyclePolicy.objects.create(platform=Platform.MAC, basis=LifecycleBasis.WARRANTY)
    north_org, home_org = OrganizationFactory(name="Biology"), OrganizationFactory(name="Music")
    RefreshConfigFactory(organization=north_org, support_team=team)
    ScheduleSlotPreferenceFactory(team=team, capacity=4)
    ScheduleSlotPreferenceFactory(team=team, weekday=2, capacity=2)

    def system(model, org, **dates):
        return SystemFactory(hardware_model=model, organization=org, **dates)

    return {
        "jan27": system(windows, north_org, purchase_date=dt.date(2023, 1, 15)),
        "feb26": system(windows, north_org, purchase_date=dt.date(2022, 2, 1)),
        "past": system(windows, north_org, purchase_date=dt.date(2020, 1, 1)),
        "aug26": system(mac, home_org, warranty_end=dt.date(2026, 8, 10)),
        "mac_no_dates": system(mac, home_org),
        "no_policy": system(other_windows, north_org, purchase_date=dt.date(2019, 1, 1)),
        "later": system(windows, north_org, purchase_date=dt.date(2030, 1, 1)),
        "retired": system(
            windows, north_org, purchase_date=dt.date(2020, 1, 1), status=SystemStatus.RETIRED
        ),
    }


def test_forecast_counts_per_team_and_quarter(fleet, team, django_assert_num_queries):
    # policies, config teams, systems, team names, team weekly capacity
    with django_assert_num_queries(5):
        data = fc.forecast(group="team", today=TODAY)
    rows = {row.label: row for row in data.rows}
    assert list(rows) == ["North team", "No team"]
    north = rows["North team"]
    assert north.overdue == 1
    assert north.counts == [1, 0, 0, 0, 1, 0, 0, 0]
    assert north.weekly_capacity == 6
    assert north.cells[0] == {"n": 1, "quarter": "2026-Q1", "per_week": 1}
    assert rows["No team"].counts == [0, 0, 1, 0, 0, 0, 0, 0]
    assert data.totals == [1, 0, 1, 0, 1, 0, 0, 0]
    assert data.not_forecast == 2  # a Mac without warranty date, a model without policy


def test_forecast_per_platform_and_organization(fleet):
    by_platform = {r.label: r for r in fc.forecast(group="platform", today=TODAY).rows}
    assert by_platform["Windows"].total == 3
    assert by_platform["Mac"].counts[2] == 1
    by_org = {r.label: r.total for r in fc.forecast(group="organization", today=TODAY).rows}
    assert by_org == {"Biology": 3, "Music": 1}


def test_a_model_policy_wins_over_its_platform_policy(fleet):
    LifecyclePolicy.objects.create(platform=Platform.WINDOWS, basis=LifecycleBasis.AGE, months=1)
    data = fc.forecast(group="platform", today=TODAY)
    windows = next(r for r in data.rows if r.label == "Windows")
    # The model without its own policy now follows the platform's (bought 2019: past).
    assert windows.overdue == 2
    assert windows.counts[0] == 1


def test_cell_serials_are_exactly_the_counted_systems(fleet, team):
    key = str(team.pk)
    assert fc.forecast_cell_serials(group="team", key=key, quarter="2026-Q1", today=TODAY) == [
        fleet["feb26"].serial_number
    ]
    assert fc.forecast_cell_serials(group="team", key=key, quarter="overdue", today=TODAY) == [
        fleet["past"].serial_number
    ]
    assert fc.forecast_cell_serials(group="team", key="", quarter="2026-Q3", today=TODAY) == [
        fleet["aug26"].serial_number
    ]
    assert fc.forecast_cell_serials(group="team", key=key, quarter="2031-Q1", today=TODAY) == []


def test_start_a_refresh_batch_from_a_forecast_cell(client, fleet, team, refresh_admin):
    config = RefreshConfigFactory(name="Lifecycle 2026")
    client.force_login(refresh_admin)
    cell = {"group": "team", "key": str(team.pk), "quarter": "overdue"}
    with time_machine.travel(NOON):
        page = client.get(reverse("reports:forecast"))
        assert b"Start a refresh batch of these 1 system (" in page.content
        form = client.get(reverse("reports:forecast_batch"), cell)
        assert fleet["past"].serial_number.encode() in form.content
        response = client.post(
            reverse("reports:forecast_batch"),
            {**cell, "name": "Past end of life", "config": config.pk},
        )
    batch = RefreshBatch.objects.get()
    assert response.url == reverse("refresh:batch_detail", args=[batch.pk])
    assert batch.serials_text == fleet["past"].serial_number
    assert batch.config == config
    assert batch.tickets_created_at is None  # the batch page previews, then creates


def test_managers_see_the_forecast_but_do_not_start_batches(client, fleet, refresh_manager):
    client.force_login(refresh_manager)
    with time_machine.travel(NOON):
        page = client.get(reverse("reports:forecast"))
    assert page.status_code == 200
    assert b"Start a refresh batch" not in page.content
    assert client.get(reverse("reports:forecast_batch")).status_code == 403


def test_lifecycle_policy_form_replaces_a_platform_policy(client, refresh_admin):
    client.force_login(refresh_admin)
    url = reverse("reports:lifecycle_policy")
    client.post(url, {"platform": "mac", "basis": "age", "months": "60"})
    client.post(url, {"platform": "mac", "basis": "earliest", "months": "48"})
    policy = LifecyclePolicy.objects.get()
    assert (policy.basis, policy.months) == ("earliest", 48)
    both = client.post(url, {"basis": "age", "months": "48"})
    assert "Choose either a hardware model or a platform." in both.content.decode()


# --- importer -----------------------------------------------------------------------------
def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("systems.csv", text.encode(), content_type="text/csv")


def test_import_previews_row_by_row_then_applies(client, refresh_admin):
    known = SystemFactory(serial_number="ABC123", warranty_end=dt.date(2027, 1, 1))
    same = SystemFactory(serial_number="SAME1", purchase_date=dt.date(2024, 5, 1))
    client.force_login(refresh_admin)
    text = (
        "Serial_Number,purchase_date,warranty_end\n"
        "abc123,2023-04-05,\n"
        "SAME1,2024-05-01,\n"
        "NOPE9,2023-01-01,\n"
        "BAD1,05/40/2023,\n"
        "abc123,2023-04-06,\n"
    )
    preview = client.post(reverse("reports:systems_import"), {"file": csv_upload(text)})
    html = preview.content.decode()
    assert "Dates will be updated." in html
    assert "Already has these dates." in html
    assert "No system with this serial number." in html
    assert "is not a date" in html
    assert "appears twice in the file" in html
    known.refresh_from_db()
    assert known.purchase_date is None  # nothing changes before "apply"
    payload = preview.context["payload"]
    done = client.post(reverse("reports:systems_import"), {"apply": "1", "payload": payload})
    assert "Updated the dates of 1 systems." in done.content.decode()
    known.refresh_from_db()
    same.refresh_from_db()
    assert known.purchase_date == dt.date(2023, 4, 5)
    assert known.warranty_end == dt.date(2027, 1, 1)  # an empty cell keeps the stored date
    assert same.purchase_date == dt.date(2024, 5, 1)


def test_import_reads_excel_files(refresh_admin):
    SystemFactory(serial_number="XL1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["serial_number", "purchase_date", "warranty_end"])
    sheet.append(["XL1", dt.datetime(2022, 9, 1), dt.date(2025, 9, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = services.systems_import_read(filename="fleet.xlsx", content=buffer.getvalue())
    report = services.systems_import_preview(rows=rows)
    services.systems_lifecycle_update(actor=refresh_admin, report=report)
    system = System.objects.get(serial_number="XL1")
    assert (system.purchase_date, system.warranty_end) == (dt.date(2022, 9, 1), dt.date(2025, 9, 1))


def test_import_refuses_files_without_serial_numbers_and_other_roles(client, make_user):
    admin = make_user(Role.REFRESH_ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        reverse("reports:systems_import"), {"file": csv_upload("serial,purchase_date\nA,\n")}
    )
    assert "The file needs a serial_number column." in response.content.decode()
    client.force_login(make_user(Role.REFRESH_MANAGER))
    assert client.get(reverse("reports:systems_import")).status_code == 403
