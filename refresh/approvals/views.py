"""Approvers review the customer's choices and approve or return each ticket."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from refresh.choices import TicketStatus
from refresh.exceptions import RefreshError
from refresh.selectors import tickets_for_approver
from refresh.services import ticket_approve, ticket_return_to_customer

BULK_LIMIT = 200


def can_approve(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("refresh.approve_refreshticket")


def _approver_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_approve(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _awaiting(user):
    return (
        tickets_for_approver(user=user)
        .filter(status=TicketStatus.PENDING_APPROVAL)
        .defer(None)
        .select_related(
            "existing_system__hardware_model",
            "proposed_model",
            "chosen_model",
            "config",
        )
        .prefetch_related("peripherals", "software_requests")
        .order_by("status_changed_at", "id")
    )


def _error_text(exc: RefreshError) -> str:
    return " ".join(exc.messages)


@_approver_required
def approval_list(request):
    """Tickets waiting for this approver, with the customer's choices."""
    tickets = list(_awaiting(request.user)[:BULK_LIMIT])
    return render(request, "refresh/approvals/list.html", {"tickets": tickets})


@require_POST
@_approver_required
def approve(request, pk: int):
    ticket = get_object_or_404(tickets_for_approver(user=request.user), pk=pk)
    try:
        ticket_approve(ticket=ticket, approver=request.user, note=request.POST.get("note", ""))
    except RefreshError as exc:
        messages.error(request, f"{ticket.number}: {_error_text(exc)}")
    else:
        messages.success(request, f"{ticket.number} approved.")
    return redirect("refresh:approval_list")


@require_POST
@_approver_required
def return_to_customer(request, pk: int):
    ticket = get_object_or_404(tickets_for_approver(user=request.user), pk=pk)
    try:
        ticket_return_to_customer(
            ticket=ticket, approver=request.user, note=request.POST.get("note", "")
        )
    except RefreshError as exc:
        messages.error(request, f"{ticket.number}: {_error_text(exc)}")
    else:
        messages.success(request, f"{ticket.number} returned to the customer with your comment.")
    return redirect("refresh:approval_list")


@require_POST
@_approver_required
def approve_bulk(request):
    """Approve the checked tickets one by one; one message per ticket."""
    ids = []
    for value in request.POST.getlist("tickets")[:BULK_LIMIT]:
        if value.isdigit():
            ids.append(int(value))
    if not ids:
        messages.warning(request, "Check at least one ticket to approve.")
        return redirect("refresh:approval_list")
    found = {t.pk: t for t in tickets_for_approver(user=request.user).filter(pk__in=ids)}
    approved = 0
    for pk in ids:
        ticket = found.get(pk)
        if ticket is None:
            messages.error(request, f"Ticket {pk}: not found among your approvals.")
            continue
        try:
            ticket_approve(ticket=ticket, approver=request.user)
        except RefreshError as exc:
            messages.error(request, f"{ticket.number}: {_error_text(exc)}")
        else:
            approved += 1
            messages.success(request, f"{ticket.number} approved.")
    messages.info(request, f"{approved} of {len(ids)} approved.")
    return redirect("refresh:approval_list")
