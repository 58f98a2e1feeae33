"""The staff ticket page: the ticket, its timelines and the actions this person may take.

Issue #17 asks for it under 15 ms with a long history. The timelines are paged
(``refresh.selectors.TIMELINE_PAGE`` entries each) and printed in Python
(``ticket_rows``); the ticket is read with only the columns the page shows
(``refresh.selectors.ticket_page``); forms are printed by
``common.form_render`` and built only when this person may use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django_fsm import can_proceed, has_transition_perm

from common.form_render import PLAIN_WIDGETS, field_html, form_html
from common.moments import moment_printer
from refresh import selectors
from refresh.choices import RefreshStyle, TicketStatus
from refresh.forms import CommentForm, GroupForm, TrackingForm
from refresh.models import RefreshTicket
from refresh.selectors.ticket_page import TicketPage, ticket_page

from ._common import staff_required
from .ticket_rows import audit_items, email_items, event_items

S = TicketStatus


@dataclass(frozen=True)
class StaffAction:
    name: str
    label: str
    confirm: str
    danger: bool = False
    extra_perm: str = ""


STAFF_ACTIONS = [
    StaffAction("resume", "Resume", "Resume this ticket where it was held?"),
    StaffAction(
        "request_reschedule",
        "Release booking for rescheduling",
        "Release the booked slot? The customer will be asked to pick a new one.",
    ),
    StaffAction("mark_installed", "Mark installed", "Mark the replacement installed?"),
    StaffAction("mark_complete", "Mark complete", "Mark this ticket complete?"),
    StaffAction("hold", "Put on hold", "Put this ticket on hold?"),
    StaffAction("cancel", "Cancel ticket", "Cancel this ticket? This cannot be undone.", True),
]
ACTIONS_BY_NAME = {action.name: action for action in STAFF_ACTIONS}


def available_actions(ticket: RefreshTicket, user) -> list[StaffAction]:
    """Only the actions this user may take on the ticket in its current status."""
    found = []
    for action in STAFF_ACTIONS:
        method = getattr(ticket, action.name)
        if can_proceed(method) and has_transition_perm(method, user):
            found.append(action)
    return found


@staff_required
def ticket_detail(request, pk: int):
    try:
        page = ticket_page(user=request.user, ticket_id=pk)
    except RefreshTicket.DoesNotExist as exc:
        raise Http404("No such ticket.") from exc
    return _render(request, page, status=200, forms={})


def render_ticket_detail(request, ticket: RefreshTicket, *, status: int = 200, **forms):
    """The ticket page for a ticket read by ``ticket_detail`` (a POST that failed);
    ``forms`` are bound forms shown again with their errors."""
    return _render(request, TicketPage.of(ticket), status=status, forms=forms)


# A page number past this is a typo or a probe, not a history that long.
_TIMELINE_MAX_PAGE = 10_000


def _timeline_pages(request) -> dict[str, int]:
    """Each timeline's page from the query (``?audits=2``); 1 when absent or invalid."""
    pages = {}
    for name in selectors.TIMELINES:
        value = request.GET.get(name, "")
        number = int(value) if value.isdigit() else 1
        pages[name] = max(1, min(number, _TIMELINE_MAX_PAGE))
    return pages


@cache
def _comment_field() -> SafeString:
    """The empty comment box (the same for every ticket: printed once per process)."""
    return mark_safe(field_html(CommentForm(renderer=PLAIN_WIDGETS)["comment"]))


def _render(request, page: TicketPage, *, status: int, forms: dict):
    ticket = page.ticket
    user = request.user
    timelines = selectors.ticket_timelines(ticket=ticket, pages=_timeline_pages(request))
    can_ship = ticket.is_open and user.has_perm("refresh.assign_replacement_refreshticket")
    can_track = can_ship and ticket.style == RefreshStyle.REMOTE
    at = moment_printer()
    return render(
        request,
        "refresh/staff/ticket_detail.html",
        {
            "ticket": ticket,
            "names": page.names,
            "peripherals": ", ".join(page.peripherals) or "—",
            "software": ", ".join(page.software) or "—",
            "actions": available_actions(ticket, user),
            "comment_field": _comment_field(),
            "customer_email": selectors.ticket_customer_email(ticket),
            "problem": selectors.problem_reason(ticket),
            "can_fill_location": ticket.status == S.PENDING_LOCATION_INFO
            and user.has_perm("refresh.fill_location_refreshticket"),
            "can_assign_slot": ticket.status
            in (S.PENDING_CUSTOMER_SCHEDULING, S.DELIVERY_SCHEDULED)
            and ticket.support_team_id is not None
            and user.has_perm("refresh.reschedule_refreshticket"),
            "can_edit_replacement": can_ship,
            "can_track": can_track,
            "can_set_group": can_ship,
            "tracking_form": form_html(_tracking_form(ticket, forms)) if can_track else "",
            "group_form": form_html(_group_form(ticket, forms)) if can_ship else "",
            "audit_items": audit_items(timelines["audits"], at),
            "event_items": event_items(timelines["events"], at),
            "email_items": email_items(timelines["emails"], at),
            **timelines,
        },
        status=status,
    )


def _tracking_form(ticket: RefreshTicket, forms: dict) -> TrackingForm:
    return forms.get("tracking_form") or TrackingForm(
        initial={"tracking_number": ticket.tracking_number, "carrier": ticket.tracking_carrier},
        renderer=PLAIN_WIDGETS,
    )


def _group_form(ticket: RefreshTicket, forms: dict) -> GroupForm:
    return forms.get("group_form") or GroupForm(
        initial={"group": ticket.replacement_group}, renderer=PLAIN_WIDGETS
    )
