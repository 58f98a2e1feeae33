"""Remote deliveries: tracking numbers (one ticket, or pasted per line) and the
group a replacement is placed in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.forms import error_text
from refresh import services
from refresh.forms import GroupForm, TrackingBulkForm, TrackingForm
from refresh.roles import can_administer, can_view_tickets

from .tickets import render_ticket_detail, ticket_or_404

tracking_required = role_required(
    "refresh.assign_replacement_refreshticket", check=can_view_tickets
)


@require_POST
@tracking_required
def ticket_tracking(request, pk: int):
    """Save a remote ticket's tracking number; a refusal shows the page again with it."""
    ticket = ticket_or_404(request.user, pk)
    form = TrackingForm(request.POST)
    if form.is_valid():
        try:
            ticket = services.ticket_set_tracking_number(
                ticket=ticket,
                tracking_number=form.cleaned_data["tracking_number"],
                carrier=form.cleaned_data["carrier"],
                actor=request.user,
                job="",
            )
        except ValidationError as exc:
            form.add_error("tracking_number", error_text(exc))
        else:
            messages.success(
                request,
                f"{ticket.number}: tracking number {ticket.tracking_number} saved. The customer "
                "is emailed once the replacement and the number are both known.",
            )
            return redirect("refresh:ticket_detail", pk=pk)
    messages.error(request, "The tracking number was not saved: see the form below.")
    return render_ticket_detail(request, ticket, status=400, tracking_form=form)


@require_POST
@tracking_required
def ticket_group(request, pk: int):
    ticket = ticket_or_404(request.user, pk)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            ticket = services.ticket_set_group(
                ticket=ticket, group=form.cleaned_data["group"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("group", error_text(exc))
        else:
            messages.success(request, f"{ticket.number}: group is {ticket.group or 'none'}.")
            return redirect("refresh:ticket_detail", pk=pk)
    messages.error(request, "The group was not saved: see the form below.")
    return render_ticket_detail(request, ticket, status=400, group_form=form)


@role_required("refresh.assign_replacement_refreshticket", check=can_administer)
def tracking_bulk(request):
    """Paste tracking numbers for many remote tickets; all or nothing, a report per line."""
    form = TrackingBulkForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.tickets_set_tracking_bulk(
                text=form.cleaned_data["lines"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            if report.applied:
                messages.success(request, f"{report.ok_count} tracking numbers saved.")
                form = TrackingBulkForm()
            elif report.rows:
                messages.error(
                    request, "Nothing was saved: fix the lines the report refuses and try again."
                )
            else:
                messages.error(request, "Paste at least one line.")
    return render(request, "refresh/staff/tracking_bulk.html", {"form": form, "report": report})
