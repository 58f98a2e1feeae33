"""One ticket for staff: the detail page, its timelines, change requests, stock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from notifications.selectors import emails_for_object
from refresh.choices import EventKind, TicketStatus
from refresh.models import (
    RefreshTicket,
    RefreshTicketAudit,
    RefreshTicketEvent,
    System,
)
from refresh.roles import can_view_tickets

S = TicketStatus


def ticket_detail(*, user, ticket_id: int) -> RefreshTicket:
    """One ticket for the staff detail page (raises ``RefreshTicket.DoesNotExist``)."""
    if not can_view_tickets(user):
        raise RefreshTicket.DoesNotExist
    return (
        RefreshTicket.objects.select_related(
            "existing_system__hardware_model",
            "existing_system__current_user",
            "user",
            "delegate",
            "support_team",
            "config__organization",
            "batch",
            "replacement_system__hardware_model",
            "proposed_model",
            "chosen_model",
            "approved_by",
            "created_by",
            "booking__slot",
        )
        .prefetch_related("peripherals", "software_requests")
        .get(pk=ticket_id)
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "audit", "event" or "email"
    title: str
    detail: str
    actor: str


def ticket_timelines(*, ticket: RefreshTicket) -> dict:
    """Audit rows, events and emails of one ticket (three queries)."""
    audits = list(RefreshTicketAudit.objects.filter(ticket=ticket).select_related("actor"))
    events = list(RefreshTicketEvent.objects.filter(ticket=ticket).select_related("created_by"))
    emails = list(emails_for_object(obj=ticket).defer("body_html", "body_text", "attachments"))
    return {"audits": audits, "events": events, "emails": emails}


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
