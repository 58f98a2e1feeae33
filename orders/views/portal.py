"""Coordinator portal pages and the pages reached from emailed order links.

Coordinators see the orders ``orders.selectors.orders_for_portal`` gives them
(anything else is a 404). Link pages resolve the token on GET without changing
anything; only their POST acts.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import role_required
from common.forms import error_text, form_add_service_error
from orders.choices import (
    ActionStatus,
    OrderStatus,
    OrderType,
)
from orders.forms.custom_fields import with_custom_fields
from orders.forms.portal import (
    ERROR_FIELD_ALIASES,
    FORMS_BY_TYPE,
    ReplyForm,
)
from orders.models import Order
from orders.selectors import (
    client_thread,
    order_get_for_portal,
    orders_for_portal_page,
    user_is_coordinator,
)
from orders.services import (
    order_cancel,
    order_client_reply,
    order_create_draft,
    order_submission_errors,
    order_submit,
    order_update_draft,
)
from orders.views.order_rows import portal_rows
from orders.views.timeline_rows import message_rows, portal_attachment_url
from orders.views.timelines import timeline

PORTAL_PAGE_SIZE = 25

TYPE_DESCRIPTIONS = {
    OrderType.EMAIL_ONLY: "A new email account: name, username, groups and shared mailboxes.",
    OrderType.DEACTIVATE_FUTURE_REPLACEMENT: (
        "Someone leaves; their computer waits, parked, for a replacement you name later."
    ),
    OrderType.DEACTIVATE_REPLACEMENT_NOW: (
        "Someone leaves and a new person takes over their desktop now."
    ),
    OrderType.INSTALL_SOFTWARE: (
        "Software for a person's computer; they give their password and book a visit."
    ),
}


# Deny by default: the portal is for coordinators.
coordinator_only = role_required(
    check=user_is_coordinator, message="The order portal is for coordinators."
)


def _order_or_404(request, number: int) -> Order:
    order = order_get_for_portal(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    return order


def _organization_for(request):
    organization = request.user.organization
    if organization is None:
        raise PermissionDenied("Your account is not part of an organization; contact IT.")
    return organization


@coordinator_only
def portal_list(request):
    status = request.GET.get("status", "")
    page = orders_for_portal_page(
        user=request.user, status=status, params=request.GET, per_page=PORTAL_PAGE_SIZE
    )
    return render(
        request,
        "orders/portal/list.html",
        {
            "page": page,
            "orders": portal_rows(page.rows),
            "status": status,
            "statuses": OrderStatus.choices,
        },
    )


def _save(request, *, form, order_type: str, order: Order | None):
    """Save the draft; submit it too when the coordinator pressed Submit."""
    data = form.order_data()
    try:
        if order is None:
            order = order_create_draft(
                order_type=order_type,
                organization=form.organization,
                submitted_by=request.user,
                data=data,
            )
        else:
            order = order_update_draft(order=order, actor=request.user, data=data)
    except ValidationError as exc:
        form_add_service_error(form, exc, field_map=ERROR_FIELD_ALIASES.get(order_type, {}))
        return None, order
    if request.POST.get("intent") == "submit":
        try:
            order_submit(order=order, actor=request.user)
        except ValidationError as exc:
            form_add_service_error(form, exc, field_map=ERROR_FIELD_ALIASES.get(order_type, {}))
            return None, order
        messages.success(request, f"Order {order.number} is submitted. IT takes it from here.")
        return redirect("orders:portal_detail", number=order.number), order
    messages.success(request, f"Draft {order.number} is saved. You can finish it later.")
    return redirect("orders:portal_edit", number=order.number), order


@coordinator_only
@require_http_methods(["GET", "POST"])
def portal_create(request, order_type: str):
    if order_type not in FORMS_BY_TYPE:
        raise Http404("No such order type.")
    organization = _organization_for(request)
    form_class = with_custom_fields(FORMS_BY_TYPE[order_type])
    order = None
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, organization=organization)
        if form.is_valid():
            response, order = _save(request, form=form, order_type=order_type, order=None)
            if response is not None:
                return response
            if order is not None:
                # The draft exists now (submission failed): its page shows the same
                # errors, so the URL and the form's target are the draft's and the
                # next submit updates it instead of starting a second order.
                messages.warning(request, f"Draft {order.number} is saved; fix the fields below.")
                return redirect(
                    reverse("orders:portal_edit", args=[order.number]) + "?" + CHECK_PARAM
                )
    else:
        form = form_class(organization=organization)
    return render(
        request,
        "orders/portal/form.html",
        {
            "form": form,
            "order": order,
            "order_type": OrderType(order_type),
            "description": TYPE_DESCRIPTIONS[order_type],
        },
    )


# ``?check`` on a draft's page: show why it cannot be submitted yet (read-only).
CHECK_PARAM = "check"


def _form_with_submission_errors(form_class, *, order: Order):
    """The draft's form, bound to what is saved, with every reason it cannot be submitted."""
    saved = form_class(organization=order.organization, order=order)
    data = {name: saved[name].value() for name in saved.fields}
    form = form_class(data, organization=order.organization, order=order)
    form.is_valid()
    errors = order_submission_errors(order=order)
    if errors:
        form_add_service_error(
            form, ValidationError(errors), field_map=ERROR_FIELD_ALIASES.get(order.order_type, {})
        )
    return form


@coordinator_only
@require_http_methods(["GET", "POST"])
def portal_edit(request, number: int):
    order = _order_or_404(request, number)
    if order.order_type == OrderType.REQUEST:  # a staff-defined request type's own form
        return redirect("orders:portal_request_edit", number=order.number)
    if order.status != OrderStatus.DRAFT:
        messages.info(request, f"Order {order.number} is submitted; it can no longer be edited.")
        return redirect("orders:portal_detail", number=order.number)
    form_class = with_custom_fields(FORMS_BY_TYPE[order.order_type])
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, organization=order.organization, order=order)
        if form.is_valid():
            response, _ = _save(request, form=form, order_type=order.order_type, order=order)
            if response is not None:
                return response
    elif CHECK_PARAM in request.GET:
        form = _form_with_submission_errors(form_class, order=order)
    else:
        form = form_class(organization=order.organization, order=order)
    return render(
        request,
        "orders/portal/form.html",
        {
            "form": form,
            "order": order,
            "order_type": OrderType(order.order_type),
            "description": TYPE_DESCRIPTIONS[order.order_type],
        },
    )


@coordinator_only
def portal_detail(request, number: int):
    order = _order_or_404(request, number)
    actions = list(order.actions.all())
    finished = sum(1 for a in actions if a.status in (ActionStatus.DONE, ActionStatus.SKIPPED))
    booking = None
    if order.order_type == OrderType.INSTALL_SOFTWARE and order.status != OrderStatus.DRAFT:
        from scheduling.selectors import booking_active_for

        booking = booking_active_for(obj=order)
    return render(
        request,
        "orders/portal/detail.html",
        {
            "order": order,
            "actions": actions,
            "finished_count": finished,
            "booking": booking,
            "thread": timeline(
                request,
                client_thread(order=order),
                page_url=reverse("orders:portal_detail", args=[order.number]),
                param="messages",
                anchor="thread",
                oldest_first=True,
                rows=lambda messages: message_rows(
                    messages, attachment_url=portal_attachment_url(order.number), assignee=False
                ),
            ),
            "reply_form": ReplyForm(),
            "can_reply": order.status != OrderStatus.CANCELLED,
        },
    )


@coordinator_only
@require_POST
def portal_reply(request, number: int):
    order = _order_or_404(request, number)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            order_client_reply(order=order, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Your message is sent.")
    else:
        messages.error(request, "Write a message first.")
    return redirect(reverse("orders:portal_detail", args=[order.number]) + "#thread")


@coordinator_only
@require_POST
def portal_cancel(request, number: int):
    """A coordinator withdraws a draft (staff cancel submitted orders)."""
    order = _order_or_404(request, number)
    try:
        order_cancel(order=order, actor=request.user, note="Withdrawn by the coordinator.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Draft {order.number} is withdrawn.")
    return redirect("orders:portal_detail", number=order.number)
