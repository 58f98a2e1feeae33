"""Staff ticket pages: the list with filters and counts, and what the ticket page's
buttons and forms post to (the page itself: ``ticket_page``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.forms import error_text, form_add_service_error
from integrations.jobs import REFRESH_PAGE_JOBS, job_runs_latest
from refresh import selectors, services
from refresh.choices import TicketStatus
from refresh.forms import (
    BulkTicketActionForm,
    CommentForm,
    LocationForm,
    NoteForm,
    ReplacementForm,
    SlotForm,
    TicketFilterForm,
)
from refresh.models import RefreshTicket
from refresh.roles import can_administer, can_view_tickets

from ._common import PAGE_SIZE, administrator_required, staff_required

# The page itself lives in ticket_page; views/__init__ and shipping import it from here.
from .ticket_page import ACTIONS_BY_NAME, render_ticket_detail, ticket_detail  # noqa: F401

S = TicketStatus


def _run_action(ticket, name: str, user, note: str):
    if name == "hold":
        return services.ticket_hold(ticket=ticket, actor=user, note=note)
    if name == "resume":
        return services.ticket_resume(ticket=ticket, actor=user, note=note)
    if name == "cancel":
        return services.ticket_cancel(ticket=ticket, actor=user, note=note)
    if name == "request_reschedule":
        return services.ticket_request_reschedule(
            ticket=ticket, actor=user, actor_label="", note=note
        )
    if name == "mark_installed":
        return services.ticket_mark_installed(ticket=ticket, actor=user, job="", note=note)
    if name == "mark_complete":
        return services.ticket_mark_complete(ticket=ticket, actor=user, job="", note=note)
    raise Http404


def ticket_or_404(user, pk) -> RefreshTicket:
    try:
        return selectors.ticket_detail(user=user, ticket_id=pk)
    except RefreshTicket.DoesNotExist as exc:
        raise Http404("No such ticket.") from exc


@staff_required
def ticket_list(request):
    form = TicketFilterForm(request.GET or None)
    values = form.filter_values()
    filters = selectors.TicketFilters(**values)
    tickets = selectors.tickets_for_staff(user=request.user, filters=filters)
    page = selectors.tickets_page(
        tickets=tickets, number=request.GET.get("page"), per_page=PAGE_SIZE, filters=filters
    )
    rows = page.object_list
    counts = selectors.status_counts(user=request.user, filters=filters)
    focus_counts = selectors.focus_counts(user=request.user, filters=filters, counts=counts)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "refresh/staff/ticket_list.html",
        {
            "form": form,
            "filters": values,
            "page": page,
            "rows": rows,
            "status_counts": [(s, s.label, counts[s.value]) for s in S],
            "focuses": [
                (key, label, focus_counts.get(key, 0)) for key, label in selectors.FOCUSES.items()
            ],
            "querystring": params.urlencode(),
            "filter_selects": [
                (name, form.fields[name].label, form.fields[name].choices)
                for name in ("status", "style", "team", "config", "batch")
            ],
            "selected": values,
            "detail_base": reverse("refresh:ticket_detail", args=[0])[:-2],
            "can_bulk": can_administer(request.user),
            "bulk_form": BulkTicketActionForm(),
            "job_lines": job_runs_latest(jobs=REFRESH_PAGE_JOBS)
            if request.user.has_perm("integrations.use_itsm_stub")
            else [],
        },
    )


@require_POST
@staff_required
def ticket_action(request, pk: int, action: str):
    ticket = ticket_or_404(request.user, pk)
    if action not in ACTIONS_BY_NAME:
        raise Http404
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        ticket = _run_action(ticket, action, request.user, note)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"{ticket.number}: {ACTIONS_BY_NAME[action].label}. Now {ticket.get_status_display()}.",
        )
    return redirect("refresh:ticket_detail", pk=pk)


@require_POST
@staff_required
def ticket_itsm_lookup(request, pk: int):
    """Problems: look the replacement up in the ITSM again now (queued on the worker)."""
    ticket = ticket_or_404(request.user, pk)
    try:
        services.ticket_itsm_lookup_request(ticket=ticket, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"{ticket.number}: the ITSM lookup is queued; reload in a moment for the result.",
        )
    return redirect("refresh:ticket_detail", pk=pk)


@require_POST
@staff_required
def ticket_comment(request, pk: int):
    ticket = ticket_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.ticket_record_event(
            ticket=ticket,
            kind="comment",
            summary=form.cleaned_data["comment"][:300],
            payload={"text": form.cleaned_data["comment"]},
            actor=request.user,
        )
        messages.success(request, "Comment added.")
    else:
        messages.error(request, "Write a comment first.")
    return redirect("refresh:ticket_detail", pk=pk)


@role_required("refresh.fill_location_refreshticket", check=can_view_tickets)
def ticket_location(request, pk: int):
    ticket = ticket_or_404(request.user, pk)
    if ticket.status != S.PENDING_LOCATION_INFO:
        messages.error(
            request,
            f"{ticket.number} is {ticket.get_status_display()}: the location form is for "
            "tickets pending location info.",
        )
        return redirect("refresh:ticket_detail", pk=pk)
    form = LocationForm(request.POST or None, ticket=ticket)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_submit_location_info(
                ticket=ticket,
                actor=request.user,
                answers=form.answers(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request, f"Location saved: {ticket.number} is now {ticket.get_status_display()}."
            )
            return redirect("refresh:ticket_detail", pk=pk)
    return render(request, "refresh/staff/ticket_location.html", {"ticket": ticket, "form": form})


@role_required("refresh.assign_replacement_refreshticket", check=can_view_tickets)
def ticket_replacement(request, pk: int):
    ticket = ticket_or_404(request.user, pk)
    form = ReplacementForm(
        request.POST or None,
        initial={"serial_number": getattr(ticket.replacement_system, "serial_number", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_assign_replacement(
                ticket=ticket, system=form.system, actor=request.user
            )
        except ValidationError as exc:
            form.add_error("serial_number", error_text(exc))
        else:
            messages.success(request, f"Replacement set to {form.system.serial_number}.")
            return redirect("refresh:ticket_detail", pk=pk)
    return render(
        request, "refresh/staff/ticket_replacement.html", {"ticket": ticket, "form": form}
    )


@role_required("refresh.reschedule_refreshticket", check=can_view_tickets)
def ticket_slot(request, pk: int):
    from scheduling.selectors import slots_bookable

    ticket = ticket_or_404(request.user, pk)
    if ticket.status not in (S.PENDING_CUSTOMER_SCHEDULING, S.DELIVERY_SCHEDULED):
        messages.error(
            request, f"{ticket.number} is {ticket.get_status_display()}: no slot can be booked."
        )
        return redirect("refresh:ticket_detail", pk=pk)
    slots = list(slots_bookable(team=ticket.support_team)[:60]) if ticket.support_team_id else []
    form = SlotForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_book_slot(
                ticket=ticket, slot_id=form.cleaned_data["slot"], actor=request.user, actor_label=""
            )
        except ValidationError as exc:
            form.add_error("slot", error_text(exc))
        else:
            messages.success(request, f"{ticket.number} booked.")
            return redirect("refresh:ticket_detail", pk=pk)
    return render(
        request, "refresh/staff/ticket_slot.html", {"ticket": ticket, "form": form, "slots": slots}
    )


@require_POST
@administrator_required
def tickets_bulk(request):
    form = BulkTicketActionForm(request.POST)
    ids = request.POST.getlist("ticket")
    if not form.is_valid() or not ids:
        messages.error(request, "Select tickets and a bulk action.")
        return redirect(reverse("refresh:ticket_list") + "?" + request.POST.get("back", ""))
    visible = list(
        selectors.tickets_by_ids_for_staff(user=request.user, ids=ids).values_list("pk", flat=True)
    )
    action = form.cleaned_data["action"]
    note = form.cleaned_data["note"]
    if action == "hold":
        report = services.tickets_hold_bulk(ticket_ids=visible, actor=request.user, note=note)
    else:
        report = services.tickets_reschedule_bulk(ticket_ids=visible, actor=request.user, note=note)
    return render(
        request,
        "refresh/staff/bulk_report.html",
        {
            "title": dict(BulkTicketActionForm.ACTIONS)[action],
            "report": report,
            "back_url": reverse("refresh:ticket_list") + "?" + request.POST.get("back", ""),
        },
    )
