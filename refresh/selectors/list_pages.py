"""One page of the staff ticket list: the page's keys, then its rows (issue #17).

The keys come from the list's filters and sort alone (an index-only scan for
the indexed sorts); the rows, with their per-row extras, for those keys only.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from common import pagination
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshConfig, RefreshTicket, System

from .base import (
    ITSM_EXISTENCE_STALE_AFTER,
    ITSM_LOOKUP_ATTEMPTS_PROBLEM,
    ticket_effects_failing,
)
from .lists import TICKET_COUNTS, TicketFilters

S = TicketStatus


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
