"""Staff order manager: what staff change on an order (actions, details, hold,
resume, cancel, client organization, ITSM tickets).

Every view requires ``orders.work_order`` (orders technicians and managers);
anyone else signed in gets a 403, anonymous visitors the login page. Writes
are POST only and call the services; each redirects back to the order page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from common.forms import form_add_service_error
from common.http import pk_or_404
from orders import selectors as sel
from orders.forms.staff import (
    CancelForm,
    ITSMTicketForm,
    NoteForm,
    OrderDetailsForm,
    OrganizationSearchForm,
    SkipForm,
)
from orders.models import Order
from orders.services import (
    order_action_process,
    order_action_retry,
    order_action_skip,
    order_cancel,
    order_details_update,
    order_hold,
    order_itsm_ticket_add,
    order_itsm_ticket_set_status,
    order_organization_associate,
    order_resume,
)

from .staff import back_to_order, call_and_report, order_or_404, orders_staff


def _action_of(order: Order, action_id: int):
    action = next((a for a in order.actions.all() if a.pk == action_id), None)
    if action is None:
        raise Http404("No such action on this order.")
    return action


def _run_action(order: Order, action, request, call, done: str):
    """Call one action service; report its refusal or its outcome, back to the actions."""
    call_and_report(request, call, f"“{action.name}” {done}")
    return back_to_order(order, "actions")


@orders_staff
@require_POST
def staff_action_process(request, number: int, action_id: int):
    order = order_or_404(request, number)
    action = _action_of(order, action_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _run_action(
        order,
        action,
        request,
        lambda: order_action_process(action=action, actor=request.user, note=note),
        "is done.",
    )


@orders_staff
@require_POST
def staff_action_skip(request, number: int, action_id: int):
    order = order_or_404(request, number)
    action = _action_of(order, action_id)
    form = SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why this step is skipped.")
        return back_to_order(order, "actions")
    note = form.cleaned_data["note"]
    return _run_action(
        order,
        action,
        request,
        lambda: order_action_skip(action=action, actor=request.user, note=note),
        "is skipped.",
    )


@orders_staff
@require_POST
def staff_action_retry(request, number: int, action_id: int):
    order = order_or_404(request, number)
    action = _action_of(order, action_id)
    return _run_action(
        order,
        action,
        request,
        lambda: order_action_retry(action=action, actor=request.user),
        "will run again.",
    )


@orders_staff
def staff_details_edit(request, number: int):
    """Dates, owner and priority (GET shows the form on its own page too)."""
    order = order_or_404(request, number)
    form = OrderDetailsForm(
        request.POST or None,
        initial={
            "requested_completion_date": order.requested_completion_date,
            "planned_completion_date": order.planned_completion_date,
            "owner": order.owner_id,
            "priority": order.priority,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order_details_update(
                order=order,
                actor=request.user,
                requested_completion_date=form.cleaned_data["requested_completion_date"],
                planned_completion_date=form.cleaned_data["planned_completion_date"],
                owner=form.cleaned_data["owner"],
                priority=form.cleaned_data["priority"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "The order's details are saved.")
            return back_to_order(order, "details")
    return render(request, "orders/staff/details_form.html", {"order": order, "form": form})


@orders_staff
@require_POST
def staff_hold(request, number: int):
    order = order_or_404(request, number)
    if not request.user.has_perm("orders.hold_order"):
        raise PermissionDenied
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    call_and_report(
        request,
        lambda: order_hold(order=order, actor=request.user, note=note),
        f"Order {order.number} is on hold.",
    )
    return back_to_order(order)


@orders_staff
@require_POST
def staff_resume(request, number: int):
    order = order_or_404(request, number)
    if not request.user.has_perm("orders.hold_order"):
        raise PermissionDenied
    call_and_report(
        request,
        lambda: order_resume(order=order, actor=request.user),
        f"Order {order.number} is resumed.",
    )
    return back_to_order(order)


@orders_staff
def staff_cancel(request, number: int):
    """A confirmation page, then the cancellation (never undone)."""
    order = order_or_404(request, number)
    if not request.user.has_perm("orders.cancel_order"):
        raise PermissionDenied("Only orders managers cancel orders.")
    form = CancelForm(request.POST or None)
    if order.is_final:
        messages.error(
            request,
            f"Order {order.number} is {order.get_status_display().lower()}; "
            "it cannot be cancelled.",
        )
        return back_to_order(order)
    if request.method == "POST" and form.is_valid():
        try:
            order_cancel(order=order, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"Order {order.number} is cancelled.")
            return back_to_order(order)
    return render(request, "orders/staff/cancel.html", {"order": order, "form": form})


@orders_staff
def staff_organization(request, number: int):
    """Search client organizations by name or email domain, then associate one."""
    order = order_or_404(request, number)
    if request.method == "POST":
        organization = sel.staff_organization_get(
            user=request.user, pk=pk_or_404(request.POST.get("organization"))
        )
        if organization is None:
            raise Http404("No such organization.")
        call_and_report(
            request,
            lambda: order_organization_associate(
                order=order, actor=request.user, organization=organization
            ),
            f"Order {order.number} now belongs to {organization}.",
        )
        return back_to_order(order, "details")
    form = OrganizationSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = sel.organizations_search(user=request.user, query=form.cleaned_data["q"])
    return render(
        request,
        "orders/staff/organization.html",
        {"order": order, "form": form, "results": results},
    )


@orders_staff
@require_POST
def staff_itsm_add(request, number: int):
    order = order_or_404(request, number)
    form = ITSMTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return back_to_order(order, "itsm")
    call_and_report(
        request,
        lambda: order_itsm_ticket_add(order=order, actor=request.user, **form.cleaned_data),
        f"ITSM ticket {form.cleaned_data['itsm_id']} is associated.",
    )
    return back_to_order(order, "itsm")


@orders_staff
@require_POST
def staff_itsm_status(request, number: int, ticket_id: int):
    order = order_or_404(request, number)
    ticket = sel.staff_itsm_ticket_get(order=order, ticket_id=ticket_id)
    if ticket is None:
        raise Http404("No such ITSM ticket on this order.")
    call_and_report(
        request,
        lambda: order_itsm_ticket_set_status(
            ticket=ticket, actor=request.user, status=request.POST.get("status", "")
        ),
        lambda ticket: f"ITSM ticket {ticket.itsm_id} is {ticket.get_status_display().lower()}.",
    )
    return back_to_order(order, "itsm")
