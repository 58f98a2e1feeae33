"""One ticket for staff: the detail page, its timelines, change requests, stock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from common.prepared import Prepared
from notifications.choices import EmailStatus
from notifications.selectors import emails_for_object_id
from refresh.choices import EventKind, TicketStatus
from refresh.models import (
    RefreshTicket,
    RefreshTicketAudit,
    RefreshTicketEvent,
    System,
)
from refresh.roles import can_view_tickets

S = TicketStatus


# The detail page's related rows, in two queries of seven to nine joins: one query
# with all sixteen tables spent 10-15 ms planning (PostgreSQL searches join
# orders exhaustively past join_collapse_limit), two plan in about 2 ms each.
_DETAIL_JOINS = (
    "existing_system__hardware_model",
    "existing_system__current_user",
    "user",
    "delegate",
    "support_team",
    "config__organization",
)
_DETAIL_MORE_JOINS = (
    "batch",
    "replacement_system__hardware_model",
    "proposed_model",
    "chosen_model",
    "approved_by",
    "created_by",
    "booking__slot",
)


def ticket_detail(*, user, ticket_id: int) -> RefreshTicket:
    """One ticket for the staff detail page (raises ``RefreshTicket.DoesNotExist``).

    Every relation the page shows is loaded: a fixed number of queries."""
    if not can_view_tickets(user):
        raise RefreshTicket.DoesNotExist
    ticket = (
        RefreshTicket.objects.select_related(*_DETAIL_JOINS)
        .prefetch_related("peripherals", "software_requests")
        .get(pk=ticket_id)
    )
    more = RefreshTicket.objects.select_related(*_DETAIL_MORE_JOINS).get(pk=ticket_id)
    for path in _DETAIL_MORE_JOINS:
        name = path.split("__")[0]
        setattr(ticket, name, getattr(more, name))
    return ticket


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "audit", "event" or "email"
    title: str
    detail: str
    actor: str


# Each timeline of the ticket page shows this many entries, the newest; "Older
# entries" pages back (issue #17: the page costs the same however long the history).
TIMELINE_PAGE = 20
TIMELINES = ("audits", "events", "emails")


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline: page 1 is the newest ``TIMELINE_PAGE`` entries."""

    number: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def _newest(queryset, number: int, size: int) -> tuple[list, TimelinePage]:
    """Entries ``(number - 1) * size`` to ``number * size`` of ``queryset`` (newest
    first), read with one more to learn whether older ones exist: no COUNT."""
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return rows[:size], TimelinePage(number=number, has_older=len(rows) > size)


def _person(full_name, email) -> str:
    """``str(user)`` (``User.display_name``) from the two columns."""
    return full_name or email


# The timelines' queries, compiled once per process (``common.prepared``); a page
# of each is read by slicing them.
@Prepared
def _audits(ticket_id: int):
    return (
        RefreshTicketAudit.objects.filter(ticket_id=ticket_id)
        .order_by("-created_at", "-id")
        .values(
            "from_status",
            "to_status",
            "note",
            "created_at",
            "actor_id",
            "actor_job",
            "actor__full_name",
            "actor__email",
        )
    )


@Prepared
def _events(ticket_id: int):
    return (
        RefreshTicketEvent.objects.filter(ticket_id=ticket_id)
        .order_by("-created_at", "-id")
        .values(
            "kind",
            "summary",
            "created_at",
            "itsm_synced_at",
            "created_by_id",
            "actor_label",
            "created_by__full_name",
            "created_by__email",
        )
    )


@Prepared
def _emails(kind_id: int, ticket_id: int):
    return (
        emails_for_object_id(kind_id, ticket_id)
        .order_by("-created_at", "-id")
        .values("subject", "to", "status", "created_at")
    )


def ticket_timelines(
    *, ticket: RefreshTicket, pages: dict[str, int] | None = None, size: int = TIMELINE_PAGE
) -> dict:
    """Audit rows, events and emails of one ticket, a page of each (three queries
    whatever the history's length).

    ``pages`` maps ``"audits"``, ``"events"``, ``"emails"`` to a page number (1,
    the newest, by default). Status history and events read oldest first within
    the page, as the timeline always did; emails newest first.
    ``timeline_pages`` holds each timeline's ``TimelinePage``.

    Entries are plain dicts with the names the template reads off the models
    (``actor_display``, ``get_kind_display``, ...): only the shown columns are
    read and no model instances are built.
    """
    pages = pages or {}
    audits, audit_page = _newest(_audits.bind(ticket_id=ticket.pk), pages.get("audits", 1), size)
    for row in audits:
        row["actor_display"] = (
            _person(row["actor__full_name"], row["actor__email"])
            if row["actor_id"]
            else row["actor_job"] or "system"
        )
    events, event_page = _newest(_events.bind(ticket_id=ticket.pk), pages.get("events", 1), size)
    kinds = dict(EventKind.choices)
    for row in events:
        row["get_kind_display"] = kinds.get(row["kind"], row["kind"])
        row["actor_display"] = (
            _person(row["created_by__full_name"], row["created_by__email"])
            if row["created_by_id"]
            else row["actor_label"] or "system"
        )
    kind = ContentType.objects.get_for_model(RefreshTicket)
    emails, email_page = _newest(
        _emails.bind(kind_id=kind.pk, ticket_id=ticket.pk), pages.get("emails", 1), size
    )
    statuses = dict(EmailStatus.choices)
    for row in emails:
        row["get_status_display"] = statuses.get(row["status"], row["status"])
    return {
        "audits": audits[::-1],
        "events": events[::-1],
        "emails": emails,
        "timeline_pages": {"audits": audit_page, "events": event_page, "emails": email_page},
    }


def stock_systems(*, q: str = "") -> QuerySet[System]:
    """In-stock systems not yet the replacement on an open ticket (order group choices)."""
    taken = RefreshTicket.objects.exclude(status__in=[S.COMPLETE, S.CANCELLED]).filter(
        replacement_system__isnull=False
    )
    qs = System.objects.filter(status="in_stock").exclude(
        pk__in=taken.values("replacement_system_id")
    )
    if q:
        qs = qs.filter(serial_number__istartswith=q.strip())
    return qs.select_related("hardware_model").order_by("serial_number")


def change_requests(*, ticket: RefreshTicket) -> QuerySet[RefreshTicketEvent]:
    return ticket.events.filter(kind=EventKind.CHANGE_REQUEST).select_related("created_by")
