"""Staff move or cancel a software install's appointment from the order page.

Gate: ``orders.work_order``. GET shows the free slots; POST moves (or books)
through ``order_appointment_move``, which never double-books; a full slot or a
closed order is refused with a reason and the form shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import error_text, form_add_service_error
from orders.forms.desk import AppointmentCancelForm, AppointmentMoveForm
from orders.services.appointments import (
    appointment_label,
    order_appointment_active,
    order_appointment_cancel,
    order_appointment_move,
)
from orders.services.secrets import orders_technician_team
from scheduling.exceptions import SlotUnavailable

from .staff import back_to_order, order_or_404, orders_staff

SLOTS_SHOWN = 60


def _slot_choices(exclude_slot_id=None):
    from scheduling.selectors import slots_bookable

    team = orders_technician_team()
    if team is None:
        return []
    return [
        (slot, f"{timezone.localtime(slot.start):%A %B %-d, %-I:%M %p}")
        for slot in slots_bookable(team=team)[:SLOTS_SHOWN]
        if slot.pk != exclude_slot_id
    ]


@orders_staff
@require_http_methods(["GET", "POST"])
def staff_appointment(request, number: int):
    """Move the appointment to another free slot (or book one when there is none)."""
    order = order_or_404(request, number)
    current = order_appointment_active(order=order)
    form = AppointmentMoveForm(
        request.POST or None, slots=_slot_choices(current.slot_id if current else None)
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = order_appointment_move(
                order=order,
                actor=request.user,
                slot_id=int(form.cleaned_data["slot"]),
                note=form.cleaned_data["note"],
            )
        except SlotUnavailable as exc:
            form.add_error("slot", str(exc))
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"The appointment is now {appointment_label(booking)}; "
                "the end user is emailed the new time.",
            )
            return back_to_order(order, "appointment")
    return render(
        request,
        "orders/staff/appointment_form.html",
        {
            "order": order,
            "current": current,
            "form": form,
            "cancel_form": AppointmentCancelForm(),
        },
        status=400 if form.errors else 200,
    )


@orders_staff
@require_POST
def staff_appointment_cancel(request, number: int):
    order = order_or_404(request, number)
    form = AppointmentCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        order_appointment_cancel(order=order, actor=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "The appointment is cancelled; the end user is told.")
    return back_to_order(order, "appointment")
