"""The staff ticket list: filters, sorts, focus tabs, cached status counts, rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from common import pagination
from common.cache import cache_get, cache_set, cache_version_bump
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import (
    RefreshTicket,
)
from refresh.roles import can_view_tickets

from .base import (
    _base_list_queryset,
    _problems_q,
)

S = TicketStatus


SORTS = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "status": ("status", "-created_at", "-id"),
    "serial": ("existing_system__serial_number", "id"),
    "-serial": ("-existing_system__serial_number", "-id"),
    # Denormalised, indexed keys (refresh.models.sort_keys): no join, no full sort.
    # A ticket without one sorts last on every database (PostgreSQL's ascending
    # order and its indexes put NULL last already; SQLite puts it first).
    "user": (F("user_sort_name").asc(nulls_last=True), "id"),
    "team": (F("team_sort_name").asc(nulls_last=True), "-created_at", "-id"),
    "changed": ("status_changed_at", "id"),
    "-changed": ("-status_changed_at", "-id"),
}


DEFAULT_SORT = "-created"


FOCUS_ALL = "all"


FOCUS_PROBLEMS = "problems"


FOCUS_APPROVAL = "approval"


FOCUSES = {
    FOCUS_ALL: "All",
    FOCUS_PROBLEMS: "Problems",
    FOCUS_APPROVAL: "Awaiting approval",
}


@dataclass(frozen=True)
class TicketFilters:
    """The staff list's filters, all optional (values as strings from the query)."""

    status: str = ""
    style: str = ""
    team: str = ""
    config: str = ""
    batch: str = ""
    q: str = ""
    focus: str = FOCUS_ALL
    sort: str = DEFAULT_SORT


def _filter(
    qs: QuerySet, filters: TicketFilters, *, with_status: bool = True, with_focus: bool = True
) -> QuerySet:
    if with_status and filters.status in S.values:
        qs = qs.filter(status=filters.status)
    if filters.style in RefreshStyle.values:
        qs = qs.filter(style=filters.style)
    if filters.team.isdigit():
        qs = qs.filter(support_team_id=int(filters.team))
    if filters.config.isdigit():
        qs = qs.filter(config_id=int(filters.config))
    if filters.batch.isdigit():
        qs = qs.filter(batch_id=int(filters.batch))
    q = filters.q.strip()
    if q:
        number = q.upper().removeprefix("RT-")
        match = (
            Q(existing_system__serial_number__istartswith=q)
            | Q(replacement_system__serial_number__istartswith=q)
            | Q(existing_system__name__icontains=q)
            | Q(user__full_name__icontains=q)
            | Q(user__email__icontains=q)
        )
        if number.isdigit():
            match |= Q(pk=int(number))
        qs = qs.filter(match)
    if not with_focus:
        return qs
    if filters.focus == FOCUS_PROBLEMS:
        qs = qs.filter(_problems_q())
    elif filters.focus == FOCUS_APPROVAL:
        qs = qs.filter(status=S.PENDING_APPROVAL)
    return qs


# The columns the staff list shows: loading only these keeps a 50-row page cheap.
LIST_FIELDS = (
    "id",
    "status",
    "style",
    "created_at",
    "status_changed_at",
    "itsm_lookup_attempts",
    "existing_system__serial_number",
    "existing_system__name",
    "user__email",
    "user__full_name",
    "delegate__email",
    "delegate__full_name",
    "support_team__name",
    "config__name",
    "replacement_system__serial_number",
)


def tickets_for_staff(*, user, filters: TicketFilters | None = None) -> QuerySet[RefreshTicket]:
    """The staff ticket list, filtered and sorted; empty for anyone without view access.

    Loads only ``LIST_FIELDS``; callers needing more build on ``_base_list_queryset``.
    """
    if not can_view_tickets(user):
        return RefreshTicket.objects.none()
    filters = filters or TicketFilters()
    qs = _filter(
        RefreshTicket.objects.select_related(
            "existing_system", "user", "delegate", "support_team", "config", "replacement_system"
        ).only(*LIST_FIELDS),
        filters,
    )
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


# Per-status counts scan every ticket under the filters; they are cached per
# filter set for this long and dropped whenever a ticket changes status
# (``counts_changed``). A process with its own cache sees others' changes at
# most this late.
STATUS_COUNTS_TTL = 30


_COUNTS_VERSION_KEY = "refresh:status-counts-version"


def counts_changed() -> None:
    """Forget cached status counts and page counts (services call it on every
    status change)."""
    # Now and after commit, retried; a cache outage never fails the change.
    cache_version_bump(_COUNTS_VERSION_KEY)
    pagination.counts_changed(TICKET_COUNTS)


# The cache namespace of the list's page counts (common.pagination).
TICKET_COUNTS = "refresh-tickets"


def _counts_key(filters: TicketFilters) -> str:
    version = cache_get(_COUNTS_VERSION_KEY) or "0"
    raw = "|".join((filters.style, filters.team, filters.config, filters.batch, filters.q))
    return f"refresh:status-counts:{version}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def status_counts(*, user, filters: TicketFilters | None = None) -> dict[str, int]:
    """Per-status counts under the list's other filters (not status, not focus tab).

    One GROUP BY query, cached per filter set (see ``STATUS_COUNTS_TTL``);
    every status is present.
    """
    counts = dict.fromkeys(S.values, 0)
    if not can_view_tickets(user):
        return counts
    filters = filters or TicketFilters()
    key = _counts_key(filters)
    cached = cache_get(key)
    if cached is not None:
        return {**counts, **cached}
    qs = _filter(RefreshTicket.objects.all(), filters, with_status=False, with_focus=False)
    for row in qs.order_by().values("status").annotate(n=Count("*")):
        counts[row["status"]] = row["n"]
    cache_set(key, counts, timeout=STATUS_COUNTS_TTL, attempts=1)
    return counts


def focus_counts(
    *, user, filters: TicketFilters | None = None, counts: dict[str, int] | None = None
) -> dict[str, int]:
    """Counts of the focus tabs under the same filters as ``status_counts``.

    Derived from the per-status counts (pass them to save their query) plus one
    count of the other problems (stale or failing ITSM lookups, failing effects),
    cached with the status counts: dropped on every status change, else at most
    ``STATUS_COUNTS_TTL`` seconds old (a lookup growing stale or an effect
    starting to fail shows that late).
    """
    if not can_view_tickets(user):
        return dict.fromkeys(FOCUSES, 0)
    filters = filters or TicketFilters()
    if counts is None:
        counts = status_counts(user=user, filters=filters)
    key = _counts_key(filters) + ":stuck"
    stuck = cache_get(key)
    if stuck is None:
        stuck = (
            _filter(RefreshTicket.objects.all(), filters, with_status=False, with_focus=False)
            .filter(_problems_q())
            .exclude(status=S.PENDING_LOCATION_INFO)
            .order_by()
            .count()
        )
        cache_set(key, stuck, timeout=STATUS_COUNTS_TTL, attempts=1)
    return {
        FOCUS_ALL: sum(counts.values()),
        FOCUS_PROBLEMS: counts[S.PENDING_LOCATION_INFO] + stuck,
        FOCUS_APPROVAL: counts[S.PENDING_APPROVAL],
    }


def ticket_problems(*, user) -> QuerySet[RefreshTicket]:
    """Tickets needing staff attention (see ``problem_reason``)."""
    return tickets_for_staff(user=user, filters=TicketFilters(focus=FOCUS_PROBLEMS))


def tickets_by_ids_for_staff(*, user, ids) -> QuerySet[RefreshTicket]:
    return tickets_for_staff(user=user).filter(pk__in=[int(i) for i in ids if str(i).isdigit()])


def tickets_pending_ordering(*, user, config_id: str = "", q: str = "") -> QuerySet[RefreshTicket]:
    """The order group page: tickets waiting for a replacement."""
    if not can_view_tickets(user):
        return RefreshTicket.objects.none()
    filters = TicketFilters(status=S.PENDING_ORDERING, config=config_id, q=q)
    return (
        _filter(_base_list_queryset(), filters)
        .select_related("proposed_model", "chosen_model")
        .order_by("created_at", "id")
    )
