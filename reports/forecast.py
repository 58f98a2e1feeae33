"""End-of-life forecasting (reads): when each in-use system should be replaced.

A system's end of life comes from the lifecycle policy of its hardware model,
or else of its platform: ``age`` = purchase date + months, ``warranty`` = the
warranty end, ``earliest`` = whichever of the two comes first (either alone if
only one is known). Systems without a policy or without the dates the policy
needs are counted as "not forecast". A system's team is the support team of
its organization's refresh config (the one tickets for it would get).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from accounts.models import Organization, SupportTeam
from refresh.choices import Platform, SystemStatus
from refresh.models import RefreshConfig, System
from scheduling.models import ScheduleSlotPreference

from .choices import LifecycleBasis
from .models import LifecyclePolicy

QUARTERS = 8
WEEKS_PER_QUARTER = 13
OVERDUE = "overdue"
NO_KEY = ""


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int
    start: dt.date
    end: dt.date  # last day

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"


def quarter_containing(day: dt.date) -> Quarter:
    number = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * number - 2, 1)
    next_start = (
        dt.date(day.year + 1, 1, 1) if number == 4 else dt.date(day.year, 3 * number + 1, 1)
    )
    return Quarter(day.year, number, start, next_start - dt.timedelta(days=1))


def next_quarters(*, today: dt.date | None = None, count: int = QUARTERS) -> list[Quarter]:
    quarter = quarter_containing(today or timezone.localdate())
    quarters = [quarter]
    while len(quarters) < count:
        quarters.append(quarter_containing(quarters[-1].end + dt.timedelta(days=1)))
    return quarters


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def end_of_life(
    *, purchase_date: dt.date | None, warranty_end: dt.date | None, basis: str, months: int
) -> dt.date | None:
    by_age = add_months(purchase_date, months) if purchase_date else None
    if basis == LifecycleBasis.AGE:
        return by_age
    if basis == LifecycleBasis.WARRANTY:
        return warranty_end
    known = [d for d in (by_age, warranty_end) if d]
    return min(known) if known else None


@dataclass
class ForecastRow:
    key: str
    label: str
    overdue: int = 0
    counts: list[int] = field(default_factory=list)
    weekly_capacity: int | None = None
    quarter_codes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[dict]:
        """One dict per quarter: count, quarter code, slots needed per week."""
        return [
            {"n": n, "quarter": code, "per_week": math.ceil(n / WEEKS_PER_QUARTER)}
            for n, code in zip(self.counts, self.quarter_codes, strict=True)
        ]

    @property
    def total(self) -> int:
        return self.overdue + sum(self.counts)


@dataclass
class Forecast:
    group: str
    quarters: list[Quarter]
    rows: list[ForecastRow]
    not_forecast: int
    totals: list[int]
    overdue_total: int


def _policies() -> tuple[dict[int, tuple[str, int]], dict[str, tuple[str, int]]]:
    by_model, by_platform = {}, {}
    for model_id, platform, basis, months in LifecyclePolicy.objects.values_list(
        "hardware_model_id", "platform", "basis", "months"
    ):
        if model_id:
            by_model[model_id] = (basis, months)
        else:
            by_platform[platform] = (basis, months)
    return by_model, by_platform


def _team_by_organization() -> dict[int, int]:
    """Organization id -> support team id of its (oldest active) refresh config."""
    teams: dict[int, int] = {}
    for org_id, team_id in (
        RefreshConfig.objects.filter(active=True, support_team__isnull=False)
        .order_by("-pk")
        .values_list("organization_id", "support_team_id")
    ):
        teams[org_id] = team_id
    return teams


def _systems_with_end_of_life():
    """(system id, serial, end of life or None, team id, organization id, platform)."""
    by_model, by_platform = _policies()
    teams = _team_by_organization()
    rows = (
        System.objects.filter(status=SystemStatus.IN_USE)
        .order_by("serial_number")
        .values_list(
            "pk",
            "serial_number",
            "hardware_model_id",
            "platform",
            "organization_id",
            "purchase_date",
            "warranty_end",
        )
    )
    for pk, serial, model_id, platform, org_id, purchased, warranty in rows.iterator(
        chunk_size=5000
    ):
        policy = by_model.get(model_id) or by_platform.get(platform)
        eol = None
        if policy:
            eol = end_of_life(
                purchase_date=purchased, warranty_end=warranty, basis=policy[0], months=policy[1]
            )
        yield pk, serial, eol, teams.get(org_id), org_id, platform


def _key(group: str, team_id, org_id, platform) -> str:
    value = {"team": team_id, "organization": org_id, "platform": platform}[group]
    return str(value) if value else NO_KEY


def forecast(*, group: str = "team", today: dt.date | None = None) -> Forecast:
    """Systems reaching end of life per quarter for the next 8 quarters, per group."""
    quarters = next_quarters(today=today)
    first, last = quarters[0].start, quarters[-1].end
    index = {q.code: i for i, q in enumerate(quarters)}
    rows: dict[str, ForecastRow] = {}
    not_forecast = 0
    for _pk, _serial, eol, team_id, org_id, platform in _systems_with_end_of_life():
        if eol is None:
            not_forecast += 1
            continue
        if eol > last:
            continue
        key = _key(group, team_id, org_id, platform)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ForecastRow(
                key=key,
                label="",
                counts=[0] * len(quarters),
                quarter_codes=[q.code for q in quarters],
            )
        if eol < first:
            row.overdue += 1
        else:
            row.counts[index[quarter_containing(eol).code]] += 1
    _label_rows(group, rows)
    ordered = sorted(rows.values(), key=lambda r: (r.key == NO_KEY, r.label.lower()))
    return Forecast(
        group=group,
        quarters=quarters,
        rows=ordered,
        not_forecast=not_forecast,
        totals=[sum(r.counts[i] for r in ordered) for i in range(len(quarters))],
        overdue_total=sum(r.overdue for r in ordered),
    )


def _label_rows(group: str, rows: dict[str, ForecastRow]) -> None:
    ids = [int(k) for k in rows if k.isdigit()]
    if group == "team":
        names = dict(SupportTeam.objects.filter(pk__in=ids).values_list("pk", "name"))
        capacity = dict(
            ScheduleSlotPreference.objects.filter(team_id__in=ids, active=True)
            .order_by()
            .values_list("team_id")
            .annotate(n=Sum("capacity"))
        )
        for key, row in rows.items():
            row.label = names.get(int(key), "?") if key else "No team"
            row.weekly_capacity = capacity.get(int(key), 0) if key else None
    elif group == "organization":
        names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
        for key, row in rows.items():
            row.label = names.get(int(key), "?") if key else "No organization"
    else:
        labels = dict(Platform.choices)
        for key, row in rows.items():
            row.label = labels.get(key, key) if key else "No platform"


def forecast_cell_serials(
    *, group: str, key: str, quarter: str, today: dt.date | None = None
) -> list[str]:
    """Serial numbers of the systems counted in one forecast cell (``quarter`` may be
    ``overdue``), in serial order."""
    quarters = next_quarters(today=today)
    first = quarters[0].start
    codes = {q.code for q in quarters}
    if quarter != OVERDUE and quarter not in codes:
        return []
    serials = []
    for _pk, serial, eol, team_id, org_id, platform in _systems_with_end_of_life():
        if eol is None or eol > quarters[-1].end:
            continue
        if _key(group, team_id, org_id, platform) != key:
            continue
        if quarter == OVERDUE:
            if eol < first:
                serials.append(serial)
        elif eol >= first and quarter_containing(eol).code == quarter:
            serials.append(serial)
    return serials
