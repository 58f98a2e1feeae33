"""Coordinator portal pages and the pages reached from emailed order links.

Coordinators see the orders ``orders.selectors.orders_for_portal`` gives them
(anything else is a 404). Link pages resolve the token on GET without changing
anything; only their POST acts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from notifications.link_pages import link_invalid_response
from notifications.links import LinkInvalid, access_link_resolve, client_key_for
from orders.choices import (
    LINK_PURPOSE_ACCOUNT_ACCESS,
    LINK_PURPOSE_ORDER_FINISH,
    LINK_PURPOSE_ORDER_SECRET,
    ActionStatus,
    OrderStatus,
    OrderType,
)
from orders.exceptions import OrderError
from orders.forms.portal import (
    ERROR_FIELD_ALIASES,
    FORMS_BY_TYPE,
    AccountPasswordForm,
    EndUserSecretForm,
    ReplyForm,
)
from orders.models import Order
from orders.selectors import (
    order_get_for_portal,
    order_messages_for_client,
    orders_for_portal,
    portal_attachment_get,
    user_is_coordinator,
)
from orders.services import (
    enduser_link_submit,
    order_account_password_set,
    order_cancel,
    order_client_reply,
    order_create_draft,
    order_submit,
    order_update_draft,
    orders_technician_team,
)
from scheduling.exceptions import SlotUnavailable

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


def _coordinator(request):
    if not user_is_coordinator(request.user):
        raise PermissionDenied("The order portal is for coordinators.")


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


@login_required
def portal_list(request):
    _coordinator(request)
    status = request.GET.get("status", "")
    orders = orders_for_portal(user=request.user)
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/portal/list.html",
        {
            "page": page,
            "orders": page.object_list,
            "status": status,
            "statuses": OrderStatus.choices,
            "querystring": f"status={status}" if status else "",
        },
    )


@login_required
def portal_new(request):
    _coordinator(request)
    types = [(t, t.label, TYPE_DESCRIPTIONS[t]) for t in OrderType]
    return render(request, "orders/portal/new.html", {"types": types})


def _apply_service_errors(form, order_type: str, exc: ValidationError) -> None:
    aliases = ERROR_FIELD_ALIASES.get(order_type, {})
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = aliases.get(field, field)
            for error in errors:
                form.add_error(target if target in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


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
        _apply_service_errors(form, order_type, exc)
        return None, order
    if request.POST.get("intent") == "submit":
        try:
            order_submit(order=order, actor=request.user)
        except ValidationError as exc:
            _apply_service_errors(form, order_type, exc)
            return None, order
        messages.success(request, f"Order {order.number} is submitted. IT takes it from here.")
        return redirect("orders:portal_detail", number=order.number), order
    messages.success(request, f"Draft {order.number} is saved. You can finish it later.")
    return redirect("orders:portal_edit", number=order.number), order


@login_required
@require_http_methods(["GET", "POST"])
def portal_create(request, order_type: str):
    _coordinator(request)
    if order_type not in OrderType.values:
        raise Http404("No such order type.")
    organization = _organization_for(request)
    form_class = FORMS_BY_TYPE[order_type]
    order = None
    if request.method == "POST":
        form = form_class(request.POST, organization=organization)
        if form.is_valid():
            response, order = _save(request, form=form, order_type=order_type, order=None)
            if response is not None:
                return response
            if order is not None:
                # The draft exists now (submission failed): keep editing it.
                messages.warning(request, f"Draft {order.number} is saved; fix the fields below.")
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


@login_required
@require_http_methods(["GET", "POST"])
def portal_edit(request, number: int):
    _coordinator(request)
    order = _order_or_404(request, number)
    if order.status != OrderStatus.DRAFT:
        messages.info(request, f"Order {order.number} is submitted; it can no longer be edited.")
        return redirect("orders:portal_detail", number=order.number)
    form_class = FORMS_BY_TYPE[order.order_type]
    if request.method == "POST":
        form = form_class(request.POST, organization=order.organization, order=order)
        if form.is_valid():
            response, _ = _save(request, form=form, order_type=order.order_type, order=order)
            if response is not None:
                return response
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


@login_required
def portal_detail(request, number: int):
    _coordinator(request)
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
            "thread": order_messages_for_client(order=order),
            "reply_form": ReplyForm(),
            "can_reply": order.status != OrderStatus.CANCELLED,
        },
    )


@login_required
@require_POST
def portal_reply(request, number: int):
    _coordinator(request)
    order = _order_or_404(request, number)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            order_client_reply(order=order, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your message is sent.")
    else:
        messages.error(request, "Write a message first.")
    return redirect(reverse("orders:portal_detail", args=[order.number]) + "#thread")


@login_required
@require_POST
def portal_cancel(request, number: int):
    """A coordinator withdraws a draft (staff cancel submitted orders)."""
    _coordinator(request)
    order = _order_or_404(request, number)
    try:
        order_cancel(order=order, actor=request.user, note="Withdrawn by the coordinator.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Draft {order.number} is withdrawn.")
    return redirect("orders:portal_detail", number=order.number)


@login_required
def portal_attachment(request, number: int, pk: int):
    """Serve an attachment of a client-viewable message (never from a public media URL)."""
    _coordinator(request)
    attachment = portal_attachment_get(user=request.user, number=number, pk=pk)
    if attachment is None:
        raise Http404("No such attachment.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- emailed links ----------------------------------------------------------------


def _link_invalid(request, exc: LinkInvalid):
    return link_invalid_response(request, exc)


def _resolve(request, token: str, purpose: str):
    link = access_link_resolve(token=token, purpose=purpose, client_key=client_key_for(request))
    order = (
        Order.objects.select_related("organization", "existing_user", "owner")
        .filter(pk=link.target_id)
        .first()
    )
    if order is None:
        raise LinkInvalid("This link is not valid any more.")
    return link, order


@never_cache
@require_http_methods(["GET"])
def finish_link(request, token: str):
    """The client finishes a started draft: sign in, then the draft opens."""
    try:
        _link, order = _resolve(request, token, LINK_PURPOSE_ORDER_FINISH)
    except LinkInvalid as exc:
        return _link_invalid(request, exc)
    edit_url = reverse("orders:portal_edit", args=[order.number])
    if not request.user.is_authenticated:
        return redirect_to_login(edit_url)
    if order_get_for_portal(user=request.user, number=order.number) is None:
        raise Http404("No such order.")
    return redirect(edit_url)


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
    slots = _slot_choices(orders_technician_team())
    form = EndUserSecretForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        slot_id = form.cleaned_data.get("slot")
        try:
            enduser_link_submit(
                order=order,
                password=form.cleaned_data["password"],
                slot_id=int(slot_id) if slot_id else None,
                link=link,
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        except SlotUnavailable as exc:
            form.add_error("slot", str(exc))
        else:
            return render(request, "orders/portal/enduser_done.html", {"order": order})
    return render(
        request,
        "orders/portal/enduser_link.html",
        {"order": order, "form": form, "software": order.software.all()},
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
            form.add_error(None, " ".join(exc.messages))
        else:
            return render(request, "orders/portal/account_done.html", {"order": order})
    return render(request, "orders/portal/account_access.html", {"order": order, "form": form})
