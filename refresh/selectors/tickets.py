"""One ticket for staff: the detail page, its timelines, change requests, stock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, F, QuerySet, Value

from notifications.choices import EmailStatus
from notifications.selectors import emails_for_object
from refresh.choices import EventKind, Platform, TicketStatus
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


# The staff ticket page reads these columns and nothing more (issue #17: it read
# every column of sixteen rows, the customer's wizard answers included, and the
# ORM's cost grows with each). Two queries, split as ``ticket_detail``'s are.
_PAGE_FIELDS = (
    "status",
    "status_before_hold",
    "status_changed_at",
    "style",
    "existing_system_id",
    "user_id",
    "delegate_id",
    "support_team_id",
    "config_id",
    "batch_id",
    "proposed_model_id",
    "chosen_model_id",
    "replacement_system_id",
    "approved_by_id",
    "created_by_id",
    "none_fits",
    "none_fits_reason",
    "inadequate_reason",
    "replacement_group",
    "location_building",
    "location_room",
    "location_notes",
    "ship_to_name",
    "ship_street",
    "ship_street2",
    "ship_city",
    "ship_state",
    "ship_zip",
    "tracking_number",
    "tracking_carrier",
    "tracking_emailed_number",
    "delivery_at",
    "itsm_ticket_id",
    "itsm_ticket_url",
    "itsm_lookup_attempts",
    "itsm_lookup_error",
    "created_at",
    "invite_at",
    "invite_sent_at",
    "first_reminder_at",
    "first_reminder_sent_at",
    "second_reminder_at",
    "second_reminder_sent_at",
    "deadline_at",
    "wizard_submitted_at",
    "approved_at",
)
_PERSON = ("full_name", "email")
_PAGE_JOINS = {
    "user": (*_PERSON, "is_active"),
    "delegate": (*_PERSON, "is_active"),
    "support_team": ("name",),
    "config": ("name", "replacement_group", "unit_specified_location"),
    "config__organization": ("name",),
}
_HARDWARE = ("manufacturer", "name")
_PAGE_MORE_JOINS = {
    "batch": ("name",),
    "existing_system": ("serial_number", "name", "building", "room", "hardware_model_id"),
    "existing_system__hardware_model": _HARDWARE,
    "replacement_system": ("serial_number", "hardware_model_id"),
    "replacement_system__hardware_model": _HARDWARE,
    "proposed_model": _HARDWARE,
    "chosen_model": _HARDWARE,
    "approved_by": _PERSON,
    "created_by": _PERSON,
}


def _columns(joins: dict[str, tuple[str, ...]]) -> list[str]:
    return [f"{path}__{name}" for path, names in joins.items() for name in names]


@dataclass(frozen=True)
class TicketPage:
    """What the staff ticket page shows of one ticket: the ticket with the related
    rows it names, and the names of its requested peripherals and software."""

    ticket: RefreshTicket
    peripherals: list[str]
    software: list[str]

    @classmethod
    def of(cls, ticket: RefreshTicket) -> TicketPage:
        """From a ticket read by ``ticket_detail`` (its requests are prefetched)."""
        return cls(
            ticket=ticket,
            peripherals=[str(p) for p in ticket.peripherals.all()],
            software=[str(s) for s in ticket.software_requests.all()],
        )


def ticket_page(*, user, ticket_id: int) -> TicketPage:
    """One ticket for the staff ticket page (raises ``RefreshTicket.DoesNotExist``):
    three queries, only the columns the page shows. Writes use ``ticket_detail``."""
    if not can_view_tickets(user):
        raise RefreshTicket.DoesNotExist
    ticket = (
        RefreshTicket.objects.select_related(*_PAGE_JOINS)
        .only(*_PAGE_FIELDS, *_columns(_PAGE_JOINS))
        .get(pk=ticket_id)
    )
    more = (
        RefreshTicket.objects.select_related(*_PAGE_MORE_JOINS)
        # The status too: the FSM mixin reads it when the instance is built.
        .only("status", *_columns(_PAGE_MORE_JOINS))
        .get(pk=ticket_id)
    )
    for name in _PAGE_MORE_JOINS:
        if "__" not in name:
            setattr(ticket, name, getattr(more, name))
    peripherals, software = _requested_names(ticket_id)
    return TicketPage(ticket=ticket, peripherals=peripherals, software=software)


def _requested_names(ticket_id: int) -> tuple[list[str], list[str]]:
    """The ticket's peripherals and software titles as ``str()`` names them, each in
    its model's order (by name), in one query instead of two prefetches."""
    text = CharField()
    peripherals = (
        RefreshTicket.peripherals.through.objects.filter(refreshticket_id=ticket_id)
        .annotate(
            kind=Value("p", output_field=text),
            title=F("peripheral__name"),
            platform=Value("", output_field=text),
        )
        .values_list("kind", "title", "platform")
    )
    software = (
        RefreshTicket.software_requests.through.objects.filter(refreshticket_id=ticket_id)
        .annotate(
            kind=Value("s", output_field=text),
            title=F("softwaretitle__name"),
            platform=F("softwaretitle__platform"),
        )
        .values_list("kind", "title", "platform")
    )
    platforms = dict(Platform.choices)
    names: dict[str, list[str]] = {"p": [], "s": []}
    rows = peripherals.union(software, all=True).order_by("kind", "title", "platform")
    for kind, name, platform in rows:
        names[kind].append(f"{name} ({platforms.get(platform, platform)})" if platform else name)
    return names["p"], names["s"]


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
    audits, audit_page = _newest(
        RefreshTicketAudit.objects.filter(ticket=ticket)
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
        ),
        pages.get("audits", 1),
        size,
    )
    for row in audits:
        row["actor_display"] = (
            _person(row["actor__full_name"], row["actor__email"])
            if row["actor_id"]
            else row["actor_job"] or "system"
        )
    events, event_page = _newest(
        RefreshTicketEvent.objects.filter(ticket=ticket)
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
        ),
        pages.get("events", 1),
        size,
    )
    kinds = dict(EventKind.choices)
    for row in events:
        row["get_kind_display"] = kinds.get(row["kind"], row["kind"])
        row["actor_display"] = (
            _person(row["created_by__full_name"], row["created_by__email"])
            if row["created_by_id"]
            else row["actor_label"] or "system"
        )
    emails, email_page = _newest(
        emails_for_object(obj=ticket)
        .order_by("-created_at", "-id")
        .values("subject", "to", "status", "created_at"),
        pages.get("emails", 1),
        size,
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
