"""Pages reached from emailed order links: finish a draft, the end user's
password and appointment, a new account's first password.

The token is the key. GET resolves it without changing anything; only POST acts.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from common.forms import form_add_service_error
from notifications.link_pages import link_invalid_response
from notifications.links import LinkInvalid, access_link_resolve, client_key_for
from orders.choices import (
    LINK_PURPOSE_ACCOUNT_ACCESS,
    LINK_PURPOSE_ORDER_FINISH,
    LINK_PURPOSE_ORDER_SECRET,
)
from orders.exceptions import OrderError
from orders.forms.portal import (
    KEEP_APPOINTMENT,
    AccountPasswordForm,
    EndUserSecretForm,
)
from orders.selectors import (
    order_for_link,
    order_get_for_portal,
)
from orders.services import (
    enduser_link_submit,
    order_account_password_set,
    orders_technician_team,
)
from orders.services.appointments import appointment_label, order_appointment_active
from scheduling.exceptions import SlotUnavailable


def _link_invalid(request, exc: LinkInvalid):
    return link_invalid_response(request, exc)


def _resolve(request, token: str, purpose: str):
    link = access_link_resolve(token=token, purpose=purpose, client_key=client_key_for(request))
    order = order_for_link(order_id=link.target_id)
    if order is None:
        raise LinkInvalid("This link is not valid any more.")
    return link, order


@never_cache
@require_http_methods(["GET"])
def finish_link(request, token: str):
    """The order link: sign in, then the draft opens to be finished, or the order to follow."""
    try:
        _link, order = _resolve(request, token, LINK_PURPOSE_ORDER_FINISH)
    except LinkInvalid as exc:
        return _link_invalid(request, exc)
    # A draft opens to be finished; any other order to be followed.
    name = "orders:portal_edit" if order.status == "draft" else "orders:portal_detail"
    target_url = reverse(name, args=[order.number])
    if not request.user.is_authenticated:
        return redirect_to_login(target_url)
    if order_get_for_portal(user=request.user, number=order.number) is None:
        raise Http404("No such order.")
    return redirect(target_url)


def _slot_choices(team):
    if team is None:
        return []
    from scheduling.selectors import slots_bookable

    return [
        (slot, f"{timezone.localtime(slot.start):%A %B %-d, %-I:%M %p}")
        for slot in slots_bookable(team=team)[:40]
    ]


@never_cache
@sensitive_post_parameters("password")
@sensitive_variables("form")
@require_http_methods(["GET", "POST"])
def enduser_link(request, token: str):
    """The end user of a software install gives their password and picks an appointment."""
    try:
        link, order = _resolve(request, token, LINK_PURPOSE_ORDER_SECRET)
    except LinkInvalid as exc:
        return _link_invalid(request, exc)
    current = order_appointment_active(order=order)
    slots = [
        choice
        for choice in _slot_choices(orders_technician_team())
        if current is None or choice[0].pk != current.slot_id
    ]
    form = EndUserSecretForm(
        request.POST or None,
        slots=slots,
        current=appointment_label(current) if current else "",
    )
    if request.method == "POST" and form.is_valid():
        slot_id = form.cleaned_data.get("slot")
        if slot_id == KEEP_APPOINTMENT:
            slot_id = None
        try:
            enduser_link_submit(
                order=order,
                password=form.cleaned_data["password"],
                slot_id=int(slot_id) if slot_id else None,
                link=link,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        except SlotUnavailable as exc:
            form.add_error("slot", str(exc))
        else:
            return render(request, "orders/portal/enduser_done.html", {"order": order})
    return render(
        request,
        "orders/portal/enduser_link.html",
        {
            "order": order,
            "form": form,
            "software": order.software.all(),
            "current": current,
        },
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@sensitive_variables("form")
@require_http_methods(["GET", "POST"])
def account_access(request, token: str):
    """One-time page to set the new account's first password (never emailed)."""
    try:
        link, order = _resolve(request, token, LINK_PURPOSE_ACCOUNT_ACCESS)
    except LinkInvalid as exc:
        return _link_invalid(request, exc)
    form = AccountPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order_account_password_set(
                order=order, link=link, password=form.cleaned_data["password1"]
            )
        except OrderError as exc:
            form_add_service_error(form, exc)
        else:
            return render(request, "orders/portal/account_done.html", {"order": order})
    return render(request, "orders/portal/account_access.html", {"order": order, "form": form})
