"""The staff ticket list: filters, sorts, focus tabs, cached status counts, rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from common import pagination
from common.cache import cache_get, cache_set, cache_version_bump
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import (
    RefreshConfig,
    RefreshTicket,
    System,
)
from refresh.roles import can_view_tickets

from .base import (
    ITSM_EXISTENCE_STALE_AFTER,
    ITSM_LOOKUP_ATTEMPTS_PROBLEM,
    _base_list_queryset,
    _problems_q,
    ticket_effects_failing,
)

S = TicketStatus


SORTS = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "status": ("status", "-created_at", "-id"),
    "serial": ("existing_system__serial_number", "id"),
    "-serial": ("-existing_system__serial_number", "-id"),
    # Denormalised, indexed keys (refresh.models.sort_keys): no join, no full sort.
    "user": ("user_sort_name", "id"),
    "team": ("team_sort_name", "-created_at", "-id"),
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


def tickets_page(
    *, tickets: QuerySet[RefreshTicket], number, per_page: int, filters: TicketFilters | None = None
):
    """Page ``number`` of ``tickets_for_staff(...)``; its ``object_list`` is the
    shown rows as ``ticket_list_rows`` makes them.

    The page's keys come from a query of the list's filters and sort alone (ids
    only: an index-only scan for the indexed sorts, so a deep OFFSET skips index
    entries, not rows with their per-row extras); the rows are then loaded for
    those keys only. The page count (a COUNT over every matching ticket) is
    cached like the status counts, per ``filters`` when given (the Problems
    tab's SQL names the current time, so its text changes on every request).
    """
    return _TicketPaginator(
        tickets,
        per_page,
        namespace=TICKET_COUNTS,
        load_rows=_rows_by_id,
        count_key=None if filters is None else _filters_key(filters),
    ).get_page(number)


def _filters_key(filters: TicketFilters) -> str:
    return "|".join(
        (filters.status, filters.style, filters.team, filters.config, filters.batch)
        + (filters.q, filters.focus)
    )


class _TicketPaginator(pagination.ShownRowsPaginator):
    """Takes a page in the back half from the other end of the sort: the keys
    query walks the index backwards and skips ``count - bottom`` entries instead of
    ``bottom``, so no page skips more than half the matching tickets (page 1,800
    of 2,000 skips 9,950 index entries, not 89,950)."""

    def __init__(self, *args, count_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return super().count
        return pagination.cached_value(
            self.namespace, "filters-count|" + self.count_key, self.object_list.count
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(
            bottom + self.per_page + (self.orphans if number == self.num_pages else 0), self.count
        )
        if bottom <= self.count // 2 or top <= bottom:
            return super().page(number)
        # The count is cached and dropped on every status change and creation
        # (``counts_changed``); within its TTL a page may show a row of its
        # neighbour, as any OFFSET page does while rows are added.
        skip = self.count - top
        keys = list(
            self.object_list.reverse().values_list("pk", flat=True)[skip : skip + top - bottom]
        )[::-1]
        rows = self.load_rows(keys) if keys else {}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)


def _rows_by_id(ids) -> dict[int, dict]:
    rows = ticket_list_rows(tickets=RefreshTicket.objects.filter(pk__in=list(ids)))
    return {row["id"]: row for row in rows}


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


def _in(ids) -> list:
    """Ids for an ``IN`` lookup that always runs its query (an empty list would skip
    it, and the page's query count would then depend on its rows)."""
    return sorted(ids) or [0]


def ticket_list_rows(*, tickets: QuerySet[RefreshTicket]) -> list[dict]:
    """Plain rows for one page of the staff list.

    The page's tickets come from one single-table query; their systems, people,
    teams and configs from one ``IN`` query each (4 more, whatever the page size).
    A six-way join costs PostgreSQL more to plan than these cost to run.
    """
    from accounts.models import SupportTeam, User

    tickets = list(
        tickets.annotate(
            effects_failing=Exists(ticket_effects_failing().filter(target_id=OuterRef("pk")))
        ).values(
            "effects_failing",
            "id",
            "status",
            "style",
            "status_changed_at",
            "itsm_lookup_attempts",
            "existing_system_id",
            "replacement_system_id",
            "user_id",
            "delegate_id",
            "support_team_id",
            "config_id",
            "replacement_group",
        )
    )
    if not tickets:
        return []
    system_ids = {t["existing_system_id"] for t in tickets} | {
        t["replacement_system_id"] for t in tickets if t["replacement_system_id"]
    }
    systems = {
        pk: (serial, name)
        for pk, serial, name in System.objects.filter(pk__in=_in(system_ids)).values_list(
            "pk", "serial_number", "name"
        )
    }
    people_ids = {t["user_id"] for t in tickets if t["user_id"]} | {
        t["delegate_id"] for t in tickets if t["delegate_id"]
    }
    people = {
        pk: full_name or email
        for pk, full_name, email in User.objects.filter(pk__in=_in(people_ids)).values_list(
            "pk", "full_name", "email"
        )
    }
    teams = dict(
        SupportTeam.objects.filter(
            pk__in=_in({t["support_team_id"] for t in tickets if t["support_team_id"]})
        ).values_list("pk", "name")
    )
    configs = {
        pk: (name, group)
        for pk, name, group in RefreshConfig.objects.filter(
            pk__in=_in({t["config_id"] for t in tickets})
        ).values_list("pk", "name", "replacement_group")
    }
    now = timezone.now()
    stale_before = now - ITSM_EXISTENCE_STALE_AFTER
    styles = dict(RefreshStyle.choices)
    labels = dict(S.choices)
    rows = []
    for row in tickets:
        status = row["status"]
        problem = ""
        if status == S.PENDING_LOCATION_INFO:
            problem = "The customer never finished the wizard: fill the location form."
        elif status == S.PENDING_ITSM_EXISTENCE:
            if row["itsm_lookup_attempts"] >= ITSM_LOOKUP_ATTEMPTS_PROBLEM:
                problem = f"ITSM lookups failed {row['itsm_lookup_attempts']} times."
            elif row["status_changed_at"] < stale_before:
                problem = "The ITSM has not known the replacement for more than 3 days."
        if not problem and row["effects_failing"]:
            problem = "Its ITSM or email effects keep failing: see Effects."
        serial, hostname = systems.get(row["existing_system_id"], ("", ""))
        replacement = systems.get(row["replacement_system_id"], ("", ""))[0]
        rows.append(
            {
                "id": row["id"],
                "number": f"RT-{row['id']:05d}",
                "status": status,
                "status_label": labels.get(status, status),
                "style_label": styles.get(row["style"], row["style"]),
                "serial": serial,
                "hostname": hostname,
                "user": people.get(row["user_id"], ""),
                "delegate": people.get(row["delegate_id"], ""),
                "team": teams.get(row["support_team_id"], ""),
                "config": configs.get(row["config_id"], ("", ""))[0],
                "group": row["replacement_group"] or configs.get(row["config_id"], ("", ""))[1],
                "replacement": replacement,
                "status_changed_at": row["status_changed_at"],
                "problem": problem,
            }
        )
    return rows


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
