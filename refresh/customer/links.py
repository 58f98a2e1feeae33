"""Resolving an emailed link to its ticket and purpose, and the pages shown
when a link cannot be used (expired, used, rate-limited, step already done).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from notifications.links import (
    RETRY_AFTER_SECONDS,
    LinkInvalid,
    LinkRateLimited,
    access_link_resolve,
    client_key_for,
)
from refresh.choices import TicketStatus
from refresh.models import RefreshTicket
from refresh.selectors import customer as customer_selectors

S = TicketStatus


WIZARD = "refresh_wizard"


PICK_SLOT = "refresh_pick_slot"


RESCHEDULE = "refresh_reschedule"


PURPOSES = (WIZARD, PICK_SLOT, RESCHEDULE)


class LinkUnusable(Exception):
    def __init__(self, reason: str, ticket: RefreshTicket | None = None, status: int = 410):
        super().__init__(reason)
        self.reason = reason
        self.ticket = ticket
        self.status = status


def ticket_of_link(link) -> RefreshTicket | None:
    if link is None or link.target_type.model_class() is not RefreshTicket:
        return None
    return customer_selectors.ticket_for_customer_link(ticket_id=link.target_id)


def resolve_link(request, token: str) -> tuple[str, RefreshTicket]:
    """(purpose, ticket) for a live link, else ``LinkUnusable`` with a readable reason."""
    error: LinkInvalid | None = None
    client_key = client_key_for(request)
    for purpose in PURPOSES:
        try:
            # The rate limit counts one attempt per request, not one per purpose.
            link = access_link_resolve(token=token, purpose=purpose, client_key=client_key)
        except LinkRateLimited as exc:
            raise LinkUnusable(exc.reason, status=429) from exc
        except LinkInvalid as exc:
            client_key = ""
            if exc.link is not None or error is None:
                error = exc
            if exc.link is not None:
                break
            continue
        ticket = ticket_of_link(link)
        if ticket is None:
            raise LinkUnusable("This link is not valid. Check that you used the whole link.")
        return purpose, ticket
    raise LinkUnusable(error.reason, ticket_of_link(error.link))


def invalid_response(request, reason: str, ticket: RefreshTicket | None = None, status=410):
    team = ticket.support_team if ticket is not None else None
    context = {
        "reason": reason,
        "contact_email": team.email if team else "",
        "contact_name": team.name if team else "",
    }
    response = render(request, "notifications/link_invalid.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def slot_purpose_open(purpose: str, ticket: RefreshTicket) -> bool:
    if purpose == PICK_SLOT:
        return ticket.status == S.PENDING_CUSTOMER_SCHEDULING
    if ticket.status != S.DELIVERY_SCHEDULED or ticket.delivery_at is None:
        return False
    # Moving the appointment is possible until the day before it.
    return timezone.localdate() < timezone.localdate(ticket.delivery_at)


def gone_response(request, ticket):
    """The link's step is not open: say plainly when the refresh is on hold or cancelled."""
    if ticket is not None and ticket.status in (S.ON_HOLD, S.CANCELLED):
        cancelled = ticket.status == S.CANCELLED
        return render(
            request,
            "refresh/customer/paused.html",
            {"ticket": ticket, "cancelled": cancelled},
            status=410 if cancelled else 200,
        )
    return invalid_response(
        request, "This step is already done, or the request was closed.", ticket
    )


def link_closed_reason(purpose: str, ticket: RefreshTicket) -> str:
    """Why a customer link of ``purpose`` no longer opens its step ("" while it does);
    staff are refused a "Resend link" with this reason."""
    if ticket.status in (S.CANCELLED, S.COMPLETE):
        return f"the refresh is {ticket.get_status_display().lower()}."
    if ticket.status == S.ON_HOLD:
        return "the refresh is on hold."
    if purpose == WIZARD:
        return "" if ticket.status == S.PENDING_CUSTOMER else "the wizard was already answered."
    if not slot_purpose_open(purpose, ticket):
        return "the appointment step is done or past."
    return ""
