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

from django.db.models import Count, Q, Sum
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


@dataclass(frozen=True)
class _Rule:
    """The systems one lifecycle policy governs, and how their end of life is found."""

    systems: Q
    basis: str
    months: int

    def known(self) -> Q:
        """Systems of this rule with the dates its basis needs."""
        age, warranty = Q(purchase_date__isnull=False), Q(warranty_end__isnull=False)
        if self.basis == LifecycleBasis.AGE:
            return age
        if self.basis == LifecycleBasis.WARRANTY:
            return warranty
        return age | warranty

    def ends_between(self, low: dt.date | None, high: dt.date) -> Q:
        """End of life in [low, high) — both the first day of a month, ``low`` None
        for "any time before ``high``". ``end_of_life`` as SQL conditions on the
        dates themselves: adding whole months keeps the month order, so "bought +
        N months >= the 1st of a month" is "bought >= that 1st - N months"."""
        age_low = Q(purchase_date__gte=add_months(low, -self.months)) if low else Q()
        age = Q(purchase_date__lt=add_months(high, -self.months)) & age_low
        warranty_low = Q(warranty_end__gte=low) if low else Q()
        warranty = Q(warranty_end__lt=high) & warranty_low
        if self.basis == LifecycleBasis.AGE:
            return age
        if self.basis == LifecycleBasis.WARRANTY:
            return warranty
        # The earlier of the two known dates: at least one before ``high`` and
        # (with a ``low``) neither known one before ``low``.
        before_high = Q(purchase_date__lt=add_months(high, -self.months)) | Q(warranty_end__lt=high)
        if low is None:
            return before_high
        return (
            before_high
            & (Q(purchase_date__isnull=True) | age_low)
            & (Q(warranty_end__isnull=True) | warranty_low)
        )


def _rules() -> list[_Rule]:
    """One rule per policy: a model's policy for its model's systems, a platform's
    for that platform's systems whose model has no policy of its own."""
    policies = list(
        LifecyclePolicy.objects.values_list("hardware_model_id", "platform", "basis", "months")
    )
    with_own = [model_id for model_id, *_ in policies if model_id]
    rules = [
        _Rule(Q(hardware_model_id=model_id), basis, months)
        for model_id, _platform, basis, months in policies
        if model_id
    ]
    for model_id, platform, basis, months in policies:
        if not model_id:
            systems = Q(platform=platform)
            if with_own:
                systems &= ~Q(hardware_model_id__in=with_own)
            rules.append(_Rule(systems, basis, months))
    return rules


def _any(conditions) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


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


def _key(group: str, team_id, org_id, platform) -> str:
    value = {"team": team_id, "organization": org_id, "platform": platform}[group]
    return str(value) if value else NO_KEY


def _windows(quarters: list[Quarter]) -> list[tuple[dt.date | None, dt.date]]:
    """[before the first quarter, each quarter] as (low, high) month bounds."""
    bounds = [(None, quarters[0].start)]
    return bounds + [(q.start, q.end + dt.timedelta(days=1)) for q in quarters]


def forecast(*, group: str = "team", today: dt.date | None = None) -> Forecast:
    """Systems reaching end of life per quarter for the next 8 quarters, per group:
    one aggregate query over the systems (counted per organization and platform in
    the database, whatever their number), folded into the group here."""
    quarters = next_quarters(today=today)
    rules = _rules()
    teams = _team_by_organization()
    in_use = System.objects.filter(status=SystemStatus.IN_USE)
    rows: dict[str, ForecastRow] = {}
    if not rules:
        not_forecast = in_use.count()
    else:
        buckets = {
            f"n{i}": Count("pk", filter=_any(r.systems & r.ends_between(low, high) for r in rules))
            for i, (low, high) in enumerate(_windows(quarters))
        }
        forecastable = _any(r.systems & r.known() for r in rules)
        counted = (
            in_use.order_by()
            .values("organization_id", "platform")
            .annotate(unknown=Count("pk", filter=~forecastable), **buckets)
        )
        not_forecast = 0
        for counts in counted:
            not_forecast += counts["unknown"]
            overdue, *per_quarter = (counts[f"n{i}"] for i in range(len(quarters) + 1))
            if not overdue and not any(per_quarter):
                continue
            org_id = counts["organization_id"]
            key = _key(group, teams.get(org_id), org_id, counts["platform"])
            row = rows.get(key)
            if row is None:
                row = rows[key] = ForecastRow(
                    key=key,
                    label="",
                    counts=[0] * len(quarters),
                    quarter_codes=[q.code for q in quarters],
                )
            row.overdue += overdue
            row.counts = [a + b for a, b in zip(row.counts, per_quarter, strict=True)]
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


def _group_systems(group: str, key: str) -> Q:
    """The systems whose ``_key`` is ``key``."""
    if group == "team":
        teams = _team_by_organization()
        if key:
            return Q(organization_id__in=[o for o, t in teams.items() if str(t) == key])
        return ~Q(organization_id__in=list(teams)) if teams else Q()
    if group == "organization":
        return Q(organization_id=int(key)) if key.isdigit() else Q(organization__isnull=True)
    return Q(platform=key)


def forecast_cell_serials(
    *, group: str, key: str, quarter: str, today: dt.date | None = None
) -> list[str]:
    """Serial numbers of the systems counted in one forecast cell (``quarter`` may be
    ``overdue``), in serial order."""
    quarters = next_quarters(today=today)
    windows = dict(zip([OVERDUE] + [q.code for q in quarters], _windows(quarters), strict=True))
    rules = _rules()
    if quarter not in windows or not rules:
        return []
    low, high = windows[quarter]
    return list(
        System.objects.filter(status=SystemStatus.IN_USE)
        .filter(_group_systems(group, key))
        .filter(_any(r.systems & r.ends_between(low, high) for r in rules))
        .order_by("serial_number")
        .values_list("serial_number", flat=True)
    )
