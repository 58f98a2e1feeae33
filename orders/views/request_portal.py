"""Coordinator pages of request types: the chooser (built-in and staff-defined
types the coordinator may use) and the form of a staff-defined type."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.forms import form_add_service_error
from orders.choices import OrderStatus
from orders.forms.custom_fields import CustomFieldsForm
from orders.selectors import (
    order_get_for_portal,
    request_type_fields,
    request_type_for_portal,
    request_types_for_portal,
)
from orders.services import order_submit, request_save

from .portal import _organization_for, coordinator_only


@coordinator_only
def portal_chooser(request):
    """Start a request: every type this coordinator may use, in the staff's order."""
    return render(
        request,
        "orders/request_types/chooser.html",
        {"entries": request_types_for_portal(user=request.user)},
    )


def _render_form(request, *, request_type, form, order=None):
    return render(
        request,
        "orders/request_types/portal_form.html",
        {"request_type": request_type, "form": form, "order": order},
    )


def _save_and_maybe_submit(request, *, request_type, form, order=None):
    organization = order.organization if order else _organization_for(request)
    try:
        order = request_save(
            request_type=request_type,
            organization=organization,
            author=request.user,
            values=form.custom_values(),
            files=form.files_by_key(),
            notes=form.cleaned_data.get("notes", ""),
            order=order,
        )
    except ValidationError as exc:
        form_add_service_error(form, exc)
        return None, order
    if request.POST.get("intent") != "submit":
        messages.success(request, f"Draft {order.number} is saved. You can finish it later.")
        return redirect("orders:portal_request_edit", number=order.number), order
    try:
        order_submit(order=order, actor=request.user)
    except ValidationError as exc:
        form_add_service_error(form, exc)
        messages.warning(request, f"Draft {order.number} is saved; fix the fields below.")
        return None, order
    messages.success(request, f"Request {order.number} is submitted. IT takes it from here.")
    return redirect("orders:portal_detail", number=order.number), order


@coordinator_only
@require_http_methods(["GET", "POST"])
def portal_request_create(request, slug: str):
    organization = _organization_for(request)
    request_type = request_type_for_portal(user=request.user, slug=slug)
    if request_type is None:
        raise Http404("No such request type.")
    fields = request_type_fields(request_type=request_type)
    order = None
    if request.method == "POST":
        form = CustomFieldsForm(
            request.POST, request.FILES, custom_fields=fields, organization=organization
        )
        if form.is_valid():
            response, order = _save_and_maybe_submit(request, request_type=request_type, form=form)
            if response is not None:
                return response
    else:
        form = CustomFieldsForm(custom_fields=fields, organization=organization)
    return _render_form(request, request_type=request_type, form=form, order=order)


@coordinator_only
@require_http_methods(["GET", "POST"])
def portal_request_edit(request, number: int):
    order = order_get_for_portal(user=request.user, number=number)
    if order is None or order.request_type_id is None or order.request_type.builtin_type:
        raise Http404("No such request.")
    if order.status != OrderStatus.DRAFT:
        messages.info(request, f"Request {order.number} is submitted; it can no longer be edited.")
        return redirect("orders:portal_detail", number=order.number)
    fields = request_type_fields(request_type=order.request_type)
    kwargs = {
        "custom_fields": fields,
        "organization": order.organization,
        "values": order.custom_values,
        "initial": {"notes": order.notes},
    }
    if request.method == "POST":
        form = CustomFieldsForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            response, _ = _save_and_maybe_submit(
                request, request_type=order.request_type, form=form, order=order
            )
            if response is not None:
                return response
    else:
        form = CustomFieldsForm(**kwargs)
    return _render_form(request, request_type=order.request_type, form=form, order=order)
