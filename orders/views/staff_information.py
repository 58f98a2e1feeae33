"""Staff edit an order's type-specific information after submission.

Gate: ``orders.work_order`` to open the order manager, then
``orders.edit_order_information`` (orders managers) for this page; the service
checks the permission and the status again and writes the audit row.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from common.forms import form_add_service_error
from orders.forms.desk import information_form_class
from orders.forms.portal import ERROR_FIELD_ALIASES
from orders.services.information import order_information_editable, order_information_update

from .staff import back_to_order, order_or_404, orders_staff


@orders_staff
@require_http_methods(["GET", "POST"])
def staff_information(request, number: int):
    order = order_or_404(request, number)
    if not request.user.has_perm("orders.edit_order_information"):
        raise PermissionDenied("Editing an order's information is for orders managers.")
    form_class = information_form_class(order.order_type)
    form = form_class(request.POST or None, organization=order.organization, order=order)
    editable = order_information_editable(order=order, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changes = order_information_update(
                order=order, actor=request.user, data=form.order_data()
            )
        except ValidationError as exc:
            form_add_service_error(
                form, exc, field_map=ERROR_FIELD_ALIASES.get(order.order_type, {})
            )
        else:
            messages.success(
                request,
                "The order's information is saved; the coordinator is told what changed."
                if changes
                else "Nothing changed.",
            )
            return back_to_order(order, "details")
    return render(
        request,
        "orders/staff/information_form.html",
        {"order": order, "form": form, "editable": editable},
        status=400 if form.errors else 200,
    )
