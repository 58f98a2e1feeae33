"""Staff pages of request types: define types and their fields (orders managers),
the requests list filtered by a custom answer or "My organizations", answers
edited on a request, time logged on it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import role_required
from common.forms import error_text, form_add_service_error
from orders import selectors as sel
from orders.forms.custom_fields import (
    CustomFieldForm,
    CustomFieldsForm,
    PlannedActionForm,
    RequestTypeForm,
    TimeEntryForm,
)
from orders.services import (
    custom_field_add,
    custom_field_remove,
    custom_field_update,
    order_action_plan,
    order_custom_values_update,
    request_type_save,
    time_entry_delete,
    time_entry_log,
    time_entry_update,
)

from .staff import back_to_order, order_or_404, orders_staff

PAGE_SIZE = 50

managers_only = role_required(
    "orders.work_order",
    "orders.change_requesttype",
    message="Request types are set up by orders managers.",
)


def _type_or_404(request, pk: int):
    request_type = sel.request_type_for_staff(user=request.user, pk=pk)
    if request_type is None:
        raise Http404("No such request type.")
    return request_type


@orders_staff
@require_GET
def staff_request_types(request):
    return render(
        request,
        "orders/request_types/staff_list.html",
        {"request_types": sel.request_types_for_staff(user=request.user)},
    )


@managers_only
@require_http_methods(["GET", "POST"])
def staff_request_type_create(request):
    form = RequestTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "organizations"}
        try:
            request_type = request_type_save(
                data=data, organizations=form.cleaned_data["organizations"], actor=request.user
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"{request_type.name} is created. Add its fields below.")
            return redirect("orders:staff_request_type", pk=request_type.pk)
    return render(request, "orders/request_types/staff_type_form.html", {"form": form})


@managers_only
@require_http_methods(["GET", "POST"])
def staff_request_type(request, pk: int):
    """One type: its settings, its fields (add, edit, remove)."""
    request_type = _type_or_404(request, pk)
    form = RequestTypeForm(request.POST or None, instance=request_type)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "organizations"}
        try:
            request_type_save(
                request_type=request_type,
                data=data,
                organizations=form.cleaned_data["organizations"],
                actor=request.user,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"{request_type.name} is saved.")
            return redirect("orders:staff_request_type", pk=request_type.pk)
    return render(
        request,
        "orders/request_types/staff_type.html",
        {
            "request_type": request_type,
            "form": form,
            "fields": sel.request_type_fields(request_type=request_type, include_archived=True),
            "field_form": CustomFieldForm(request_type=request_type, prefix="field"),
        },
    )


@managers_only
@require_POST
def staff_custom_field_add(request, pk: int):
    request_type = _type_or_404(request, pk)
    form = CustomFieldForm(request.POST, request_type=request_type, prefix="field")
    if form.is_valid():
        try:
            field = custom_field_add(request_type=request_type, data=form.service_data())
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"The field “{field.label}” is added.")
            return redirect("orders:staff_request_type", pk=request_type.pk)
    return render(
        request,
        "orders/request_types/staff_type.html",
        {
            "request_type": request_type,
            "form": RequestTypeForm(instance=request_type),
            "fields": sel.request_type_fields(request_type=request_type, include_archived=True),
            "field_form": form,
        },
        status=400,
    )


def _field_or_404(request, pk: int):
    field = sel.custom_field_for_staff(user=request.user, pk=pk)
    if field is None:
        raise Http404("No such field.")
    return field


@managers_only
@require_http_methods(["GET", "POST"])
def staff_custom_field(request, pk: int):
    field = _field_or_404(request, pk)
    form = CustomFieldForm(request.POST or None, instance=field, request_type=field.request_type)
    if request.method == "POST" and form.is_valid():
        try:
            custom_field_update(field=field, data=form.service_data())
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"The field “{field.label}” is saved.")
            return redirect("orders:staff_request_type", pk=field.request_type_id)
    return render(request, "orders/request_types/staff_field.html", {"field": field, "form": form})


@managers_only
@require_POST
def staff_custom_field_remove(request, pk: int):
    field = _field_or_404(request, pk)
    custom_field_remove(field=field)
    messages.success(
        request, f"The field “{field.label}” is removed; answers already given are kept."
    )
    return redirect("orders:staff_request_type", pk=field.request_type_id)


@orders_staff
@require_GET
def staff_requests(request):
    """Requests by type, filtered by a custom answer; "My organizations" first."""
    types = list(sel.request_types_for_staff(user=request.user))
    chosen = next((t for t in types if str(t.pk) == request.GET.get("type", "")), None)
    fields = sel.request_type_fields(request_type=chosen) if chosen else []
    field = next((f for f in fields if f.key == request.GET.get("field", "")), None)
    value = request.GET.get("value", "")[:200]
    mine = request.GET.get("tab") == "mine"
    orders = sel.requests_for_staff(
        user=request.user, request_type=chosen, field=field, value=value, my_organizations=mine
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k not in ("page", "tab") and v}
    return render(
        request,
        "orders/request_types/staff_requests.html",
        {
            "types": types,
            "chosen": chosen,
            "fields": fields,
            "field": field,
            "value": value,
            "mine": mine,
            "page": page,
            "orders": page.object_list,
            "all_query": urlencode(params),
            "mine_query": urlencode({**params, "tab": "mine"}),
            "querystring": urlencode({**params, **({"tab": "mine"} if mine else {})}),
        },
    )


@orders_staff
@require_http_methods(["GET", "POST"])
def staff_answers(request, number: int):
    """Staff change a request's answers (one audit row with before/after)."""
    order = order_or_404(request, number)
    if order.request_type_id is None:
        raise Http404("This order has no custom fields.")
    fields = sel.request_type_fields(request_type=order.request_type)
    editable = [f for f in fields if f.kind != "file"]
    kwargs = {
        "custom_fields": editable,
        "organization": order.organization,
        "values": order.custom_values,
        "with_notes": False,
    }
    form = CustomFieldsForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        values = {f.key: form.custom_values().get(f.key) for f in editable}
        try:
            changes = order_custom_values_update(order=order, actor=request.user, values=values)
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request, "The answers are saved." if changes else "Nothing was changed."
            )
            return back_to_order(order, "answers")
    return render(
        request, "orders/request_types/staff_answers.html", {"order": order, "form": form}
    )


@orders_staff
@require_POST
def staff_time_log(request, number: int):
    order = order_or_404(request, number)
    form = TimeEntryForm(request.POST, order=order, prefix="time")
    if form.is_valid():
        try:
            time_entry_log(order=order, person=request.user, **form.service_data())
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Your time is logged.")
    else:
        messages.error(request, "Time was not logged: " + error_text(ValidationError(form.errors)))
    return back_to_order(order, "time")


def _entry_or_404(request, pk: int):
    entry = sel.time_entry_for_staff(user=request.user, pk=pk)
    if entry is None:
        raise Http404("No such time entry.")
    return entry


@orders_staff
@require_http_methods(["GET", "POST"])
def staff_time_edit(request, pk: int):
    entry = _entry_or_404(request, pk)
    form = TimeEntryForm(request.POST or None, instance=entry, order=entry.order)
    if request.method == "POST" and form.is_valid():
        try:
            time_entry_update(entry=entry, actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "The time entry is saved.")
            return back_to_order(entry.order, "time")
    return render(
        request, "orders/request_types/staff_time_edit.html", {"entry": entry, "form": form}
    )


@orders_staff
@require_POST
def staff_time_delete(request, pk: int):
    entry = _entry_or_404(request, pk)
    order = entry.order
    time_entry_delete(entry=entry, actor=request.user)
    messages.success(request, "The time entry is deleted.")
    return back_to_order(order, "time")


@orders_staff
@require_POST
def staff_action_plan(request, number: int):
    """Add a planned action (title, owner, date) at the end of the request's actions."""
    order = order_or_404(request, number)
    form = PlannedActionForm(request.POST, staff=sel.orders_staff_users(), prefix="plan")
    if form.is_valid():
        try:
            action = order_action_plan(order=order, actor=request.user, **form.service_data())
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"Action {action.position} “{action.name}” is planned.")
    else:
        messages.error(request, "Nothing was planned: " + error_text(ValidationError(form.errors)))
    return back_to_order(order, "plan")
