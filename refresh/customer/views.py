"""Customer pages reached from emailed personal links (DESIGN.md §3).

One token opens one ticket for one purpose: the wizard (``refresh_wizard``),
picking a day-1 slot (``refresh_pick_slot``) or moving it
(``refresh_reschedule``). GET only reads; every change goes through
``refresh.services`` on POST. Wizard answers live in ``wizard_progress`` until
the review step submits them to ``ticket_submit_wizard``, which writes them to
the ticket fields.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from common.forms import error_text
from refresh.exceptions import RefreshError
from refresh.models import RefreshTicket
from refresh.selectors import customer as customer_selectors
from refresh.services import ticket_book_slot
from scheduling.exceptions import SLOT_UNAVAILABLE_MESSAGE

from . import forms
from .links import (
    RESCHEDULE,
    WIZARD,
    LinkUnusable,
    gone_response,
    invalid_response,
    resolve_link,
    slot_purpose_open,
)
from .wizard import wizard_page


@never_cache
def entry(request, token: str):
    """The emailed link: the wizard, or the slot picker, depending on its purpose."""
    try:
        purpose, ticket = resolve_link(request, token)
    except LinkUnusable as exc:
        return invalid_response(request, exc.reason, exc.ticket, exc.status)
    if purpose == WIZARD:
        return wizard_page(request, token, ticket, step=None)
    if not slot_purpose_open(purpose, ticket):
        return gone_response(request, ticket)
    return _slots(request, ticket, purpose)


@never_cache
def wizard_step(request, token: str, step: str):
    try:
        purpose, ticket = resolve_link(request, token)
    except LinkUnusable as exc:
        return invalid_response(request, exc.reason, exc.ticket, exc.status)
    if purpose != WIZARD:
        raise Http404
    return wizard_page(request, token, ticket, step=step)


# --- slots ------------------------------------------------------------------------
def _slots(request, ticket: RefreshTicket, purpose: str):
    def bookable():
        return customer_selectors.ticket_bookable_slots(ticket=ticket)

    if request.method == "POST":
        form = forms.SlotForm(request.POST)
        if form.is_valid():
            slot_id = form.cleaned_data["slot_id"]
            if slot_id not in {slot.pk for slot in bookable()}:
                messages.error(request, SLOT_UNAVAILABLE_MESSAGE)
            else:
                try:
                    ticket = ticket_book_slot(
                        ticket=ticket, slot_id=slot_id, actor_label="customer"
                    )
                except RefreshError as exc:
                    messages.error(request, error_text(exc))
                else:
                    return _booked(request, ticket, moved=purpose == RESCHEDULE)
        else:
            messages.error(request, "Pick one of the times below.")
        ticket.refresh_from_db()
    days = [
        {"day": day, "slots": list(items)}
        for day, items in groupby(bookable(), key=lambda s: timezone.localdate(s.start))
    ]
    context = {
        "ticket": ticket,
        "days": days,
        "reschedule": purpose == RESCHEDULE,
        "current_booking": ticket.booking if purpose == RESCHEDULE else None,
    }
    return render(request, "refresh/customer/slots.html", context)


def _booked(request, ticket: RefreshTicket, *, moved: bool):
    booking = customer_selectors.ticket_booking(ticket=ticket)
    context = {"ticket": ticket, "booking": booking, "slot": booking.slot, "moved": moved}
    return render(request, "refresh/customer/booked.html", context)
