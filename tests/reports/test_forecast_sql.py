"""The forecast counts in the database what ``end_of_life`` says in Python: every
basis (age, warranty, the earlier of both), month ends (31 January + 1 month is
28 February), missing dates, a model's policy over its platform's, systems
without an organization."""

import datetime as dt
import random

import pytest

from refresh.choices import Platform
from refresh.models import System
from reports import forecast as fc
from reports.choices import LifecycleBasis
from reports.models import LifecyclePolicy
from tests.accounts.factories import OrganizationFactory
from tests.refresh.factories import HardwareModelFactory, SystemFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 4)


def _expected(system, policies_by_model, policies_by_platform, quarters):
    """(bucket, counted) from the Python reference: bucket is "overdue", a quarter
    code, None for beyond the window; counted is False for "not forecast"."""
    policy = policies_by_model.get(system.hardware_model_id) or policies_by_platform.get(
        system.platform
    )
    if not policy:
        return None, False
    eol = fc.end_of_life(
        purchase_date=system.purchase_date,
        warranty_end=system.warranty_end,
        basis=policy.basis,
        months=policy.months,
    )
    if eol is None:
        return None, False
    if eol < quarters[0].start:
        return fc.OVERDUE, True
    if eol > quarters[-1].end:
        return None, True
    return fc.quarter_containing(eol).code, True


def test_database_counts_match_the_python_rule_on_every_edge():
    rng = random.Random(17)
    age_model = HardwareModelFactory(platform=Platform.WINDOWS)
    plain_model = HardwareModelFactory(platform=Platform.WINDOWS)
    mac_model = HardwareModelFactory(platform=Platform.MAC)
    LifecyclePolicy.objects.create(hardware_model=age_model, basis=LifecycleBasis.AGE, months=49)
    LifecyclePolicy.objects.create(
        platform=Platform.WINDOWS, basis=LifecycleBasis.EARLIEST, months=37
    )
    LifecyclePolicy.objects.create(platform=Platform.MAC, basis=LifecycleBasis.WARRANTY)
    orgs = [OrganizationFactory(), OrganizationFactory(), None]
    month_ends = [dt.date(2022, 1, 31), dt.date(2022, 8, 31), dt.date(2023, 5, 31)]
    for _ in range(90):
        purchase = rng.choice(
            [None, rng.choice(month_ends), dt.date(2019, 1, 1) + dt.timedelta(rng.randrange(2500))]
        )
        warranty = rng.choice([None, dt.date(2025, 6, 1) + dt.timedelta(rng.randrange(1000))])
        SystemFactory(
            hardware_model=rng.choice([age_model, plain_model, mac_model]),
            platform=rng.choice([Platform.WINDOWS, Platform.MAC]),
            organization=rng.choice(orgs),
            purchase_date=purchase,
            warranty_end=warranty,
        )
    model_policies = LifecyclePolicy.objects.exclude(hardware_model=None)
    by_model = {p.hardware_model_id: p for p in model_policies}
    by_platform = {p.platform: p for p in LifecyclePolicy.objects.filter(hardware_model=None)}
    quarters = fc.next_quarters(today=TODAY)

    expected_cells: dict[tuple[str, str], list[str]] = {}
    not_forecast = 0
    for system in System.objects.order_by("serial_number"):
        bucket, counted = _expected(system, by_model, by_platform, quarters)
        not_forecast += not counted
        if bucket:
            key = fc._key("organization", None, system.organization_id, system.platform)
            expected_cells.setdefault((key, bucket), []).append(system.serial_number)

    data = fc.forecast(group="organization", today=TODAY)
    assert data.not_forecast == not_forecast
    found = {}
    for row in data.rows:
        if row.overdue:
            found[(row.key, fc.OVERDUE)] = row.overdue
        for cell in row.cells:
            if cell["n"]:
                found[(row.key, cell["quarter"])] = cell["n"]
    assert found == {cell: len(serials) for cell, serials in expected_cells.items()}
    assert len(found) > 8  # the data spreads over several cells
    for (key, bucket), serials in expected_cells.items():
        assert (
            fc.forecast_cell_serials(group="organization", key=key, quarter=bucket, today=TODAY)
            == serials
        )
