"""Send Order Link: any order a coordinator can see, with From, Subject, Message and
attachments. Gate: ``orders.work_order``; the service checks the recipient."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from common.forms import form_add_service_error
from orders.forms.desk import OrderLinkForm
from orders.services.links import order_link_defaults, order_link_send

from .staff import back_to_order, order_or_404, orders_staff


@orders_staff
@require_http_methods(["GET", "POST"])
def staff_send_link(request, number: int):
    order = order_or_404(request, number)
    form = OrderLinkForm(
        request.POST or None,
        request.FILES or None,
        actor=request.user,
        site_name=settings.SITE_NAME,
        initial=order_link_defaults(order=order, actor=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            email = order_link_send(
                order=order,
                actor=request.user,
                to=data["email"],
                sender=data["sender"],
                subject=data["subject"],
                message=data["message"],
                files=data["attachments"],
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            sent_to = ", ".join(email.to) if email else "the coordinator"
            messages.success(request, f"The link to order {order.number} was sent to {sent_to}.")
            return back_to_order(order)
    return render(
        request,
        "orders/staff/send_link.html",
        {"order": order, "form": form},
        status=400 if form.errors else 200,
    )
