"""Approvers review the customer's choices and approve or return each ticket."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.forms import error_text
from refresh.approvals.cards import approval_cards_html
from refresh.choices import APPROVER_EDITABLE_STATUSES
from refresh.exceptions import RefreshError
from refresh.models import RefreshTicket
from refresh.roles import can_approve
from refresh.selectors import (
    approvals_page,
    ticket_for_approver_edit,
    tickets_for_approver,
    tickets_for_approver_by_ids,
)
from refresh.selectors.wizard import catalog_models, catalog_peripherals, catalog_software
from refresh.services import (
    ticket_approve,
    ticket_file_change_request,
    ticket_return_to_customer,
    ticket_update_by_approver,
)

BULK_LIMIT = 200


@role_required(check=can_approve)
def approval_list(request):
    """Tickets waiting for this approver, oldest first, 25 a page, with the
    customer's choices."""
    page = approvals_page(user=request.user, number=request.GET.get("page"))
    cards = approval_cards_html(page.object_list, csrf_token=get_token(request))
    return render(
        request,
        "refresh/approvals/list.html",
        {"page": page, "tickets": page.object_list, "cards_html": cards},
    )


@require_POST
@role_required(check=can_approve)
def approve(request, pk: int):
    ticket = get_object_or_404(tickets_for_approver(user=request.user), pk=pk)
    try:
        ticket_approve(ticket=ticket, approver=request.user, note=request.POST.get("note", ""))
    except RefreshError as exc:
        messages.error(request, f"{ticket.number}: {error_text(exc)}")
    else:
        messages.success(request, f"{ticket.number} approved.")
    return redirect("refresh:approval_list")


@require_POST
@role_required(check=can_approve)
def return_to_customer(request, pk: int):
    ticket = get_object_or_404(tickets_for_approver(user=request.user), pk=pk)
    try:
        ticket_return_to_customer(
            ticket=ticket, approver=request.user, note=request.POST.get("note", "")
        )
    except RefreshError as exc:
        messages.error(request, f"{ticket.number}: {error_text(exc)}")
    else:
        messages.success(request, f"{ticket.number} returned to the customer with your comment.")
    return redirect("refresh:approval_list")


@require_POST
@role_required(check=can_approve)
def approve_bulk(request):
    """Approve the checked tickets one by one; one message per ticket."""
    ids = []
    for value in request.POST.getlist("tickets")[:BULK_LIMIT]:
        if value.isdigit():
            ids.append(int(value))
    if not ids:
        messages.warning(request, "Check at least one ticket to approve.")
        return redirect("refresh:approval_list")
    found = tickets_for_approver_by_ids(user=request.user, ids=ids)
    approved = 0
    for pk in ids:
        ticket = found.get(pk)
        if ticket is None:
            messages.error(request, f"Ticket {pk}: not found among your approvals.")
            continue
        try:
            ticket_approve(ticket=ticket, approver=request.user)
        except RefreshError as exc:
            messages.error(request, f"{ticket.number}: {error_text(exc)}")
        else:
            approved += 1
            messages.success(request, f"{ticket.number} approved.")
    messages.info(request, f"{approved} of {len(ids)} approved.")
    return redirect("refresh:approval_list")


class ApproverEditForm(forms.Form):
    """What an approver may change before ordering starts (the config's catalog)."""

    chosen_model = forms.ModelChoiceField(
        queryset=None, required=False, label="Computer", empty_label="Keep the proposed model"
    )
    location_building = forms.CharField(label="Building", max_length=160, required=False)
    location_room = forms.CharField(label="Room", max_length=60, required=False)
    peripherals = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    software_requests = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="Software", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        config = ticket.config
        self.fields["chosen_model"].queryset = catalog_models(config=config)
        self.fields["peripherals"].queryset = catalog_peripherals(config=config)
        self.fields["software_requests"].queryset = catalog_software(config=config)


class ChangeRequestForm(forms.Form):
    text = forms.CharField(
        label="What should change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=300,
        help_text="Ordering has started: IT receives this as a change request.",
    )


@role_required(check=can_approve)
def edit(request, pk: int):
    """Edit a ticket while approvers may (until pending_ordering); then a change request."""
    try:
        ticket = ticket_for_approver_edit(user=request.user, ticket_id=pk)
    except RefreshTicket.DoesNotExist as exc:
        raise Http404("No such ticket among your approvals.") from exc
    editable = ticket.status in APPROVER_EDITABLE_STATUSES
    if editable:
        initial = {
            "chosen_model": ticket.chosen_model,
            "location_building": ticket.location_building,
            "location_room": ticket.location_room,
            "peripherals": list(ticket.peripherals.all()),
            "software_requests": list(ticket.software_requests.all()),
        }
        form = ApproverEditForm(request.POST or None, ticket=ticket, initial=initial)
    else:
        form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if editable:
                answers = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
                ticket_update_by_approver(ticket=ticket, approver=request.user, answers=answers)
                messages.success(request, f"{ticket.number} updated.")
            else:
                ticket_file_change_request(
                    ticket=ticket, approver=request.user, text=form.cleaned_data["text"]
                )
                messages.success(request, f"Change request for {ticket.number} sent to IT.")
        except RefreshError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("refresh:approval_list")
    return render(
        request,
        "refresh/approvals/edit.html",
        {"ticket": ticket, "form": form, "editable": editable},
    )
