"""Staff order manager: lists by status and by queue, the order page and its actions.

Every view requires ``orders.work_order`` (orders technicians and managers);
anyone else signed in gets a 403, anonymous visitors the login page. Writes
are POST only and call the services; each redirects back to the order page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed, has_transition_perm

from common.http import pk_or_404
from orders import selectors_staff as sel
from orders.choices import ActionKind, ActionStatus, ITSMTicketStatus, OrderStatus
from orders.exceptions import OrderPermissionDenied
from orders.forms.staff import (
    CancelForm,
    ITSMTicketForm,
    MessageForm,
    NoteForm,
    OrderDetailsForm,
    OrderFilterForm,
    OrganizationSearchForm,
    SendLinkForm,
    SkipForm,
)
from orders.models import Order, OrderMessage
from orders.roles import can_work_orders
from orders.services import (
    enduser_secret_live,
    enduser_secret_reveal,
    order_action_process,
    order_action_retry,
    order_action_skip,
    order_cancel,
    order_finish_link_send,
    order_hold,
    order_resume,
)
from orders.services.messages import order_message_post
from orders.services.staff import (
    order_details_update,
    order_itsm_ticket_add,
    order_itsm_ticket_set_status,
    order_organization_associate,
    order_subscribe,
    order_unsubscribe,
)

PAGE_SIZE = 25


def orders_staff_required(view):
    """Deny by default: only people who work orders get past this."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_work_orders(request.user):
            raise PermissionDenied("The order manager is for orders staff.")
        return view(request, *args, **kwargs)

    return wrapped


def _error_text(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _order_or_404(request, number: int) -> Order:
    order = sel.staff_order_get(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    return order


def _back(order: Order, anchor: str = ""):
    url = reverse("orders:staff_detail", args=[order.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _list_context(request, *, queue_id=None, step: int = 0) -> dict:
    form = OrderFilterForm(request.GET or None)
    q, status, owner = "", "", None
    if form.is_valid():
        q = form.cleaned_data["q"]
        status = form.cleaned_data["status"]
        owner = request.user if form.cleaned_data["mine"] else None
        if queue_id is None and form.cleaned_data["queue"]:
            queue_id = form.cleaned_data["queue"].pk
    orders = sel.staff_orders(
        user=request.user, queue_id=queue_id, status=status, search=q, step=step, owner=owner
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    counts = sel.staff_status_counts(user=request.user, queue_id=queue_id)
    without_status = {k: v for k, v in params.items() if k != "status"}
    status_tabs = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "query": urlencode({**without_status, "status": value}),
        }
        for value, label in OrderStatus.choices
    ]
    return {
        "form": form,
        "page": page,
        "orders": page.object_list,
        "status": status,
        "q": q,
        "status_tabs": status_tabs,
        "all_query": urlencode(without_status),
        "total": sum(counts.values()),
        "querystring": urlencode(params),
    }


@orders_staff_required
@require_GET
def staff_list(request):
    """Every order, by status (tabs with counts), searchable; queues in the sidebar."""
    context = _list_context(request)
    context["queues"] = sel.staff_queues(user=request.user)
    context["follow_ups"] = sel.staff_follow_ups_for(user=request.user)
    return render(request, "orders/staff/list.html", context)


@orders_staff_required
@require_GET
def staff_queue(request, queue_id: int):
    """One queue: its steps with how many orders wait on each, and its orders."""
    queue = sel.staff_queue_get(user=request.user, queue_id=queue_id)
    if queue is None:
        raise Http404("No such queue.")
    try:
        step = int(request.GET.get("step") or 0)
    except ValueError:
        step = 0
    context = _list_context(request, queue_id=queue.pk, step=step)
    context.update(
        {
            "queue": queue,
            "steps": sel.staff_step_counts(user=request.user, queue=queue),
            "step": step,
            "queues": sel.staff_queues(user=request.user),
        }
    )
    return render(request, "orders/staff/queue.html", context)


def _transition_allowed(order: Order, name: str, user) -> bool:
    method = getattr(order, name)
    return can_proceed(method) and has_transition_perm(method, user)


@orders_staff_required
@require_GET
@never_cache
def staff_detail(request, number: int):
    order = _order_or_404(request, number)
    actions = list(order.actions.all())
    current = next(
        (a for a in actions if a.status not in (ActionStatus.DONE, ActionStatus.SKIPPED)), None
    )
    workable = order.status in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS)
    thread = list(sel.staff_order_messages(order=order))
    quote = None
    quote_id = request.GET.get("quote")
    if quote_id and quote_id.isdigit():
        quote = next((m for m in thread if m.pk == int(quote_id)), None)
    initial_kind = request.GET.get("kind") or "reply"
    message_form = MessageForm(
        initial={"kind": initial_kind, "quoted": quote.pk if quote else None}
    )
    itsm_tickets = list(sel.staff_order_itsm_tickets(order=order))
    secret = enduser_secret_live(order=order) if order.order_type == "install_software" else None
    context = {
        "order": order,
        "actions": actions,
        "current_action": current if workable else None,
        "ActionKind": ActionKind,
        "skip_form": SkipForm(),
        "process_form": NoteForm(),
        "thread": thread,
        "quote": quote,
        "message_form": message_form,
        "itsm_form": ITSMTicketForm(),
        "open_tickets": [t for t in itsm_tickets if t.status != ITSMTicketStatus.CLOSED],
        "closed_tickets": [t for t in itsm_tickets if t.status == ITSMTicketStatus.CLOSED],
        "audits": list(sel.staff_order_audits(order=order)[:200]),
        "emails": list(sel.staff_order_emails(order=order)[:100]),
        "subscribers": list(sel.staff_order_subscribers(order=order)),
        "can_hold": _transition_allowed(order, "hold", request.user),
        "can_resume": _transition_allowed(order, "resume", request.user),
        "can_cancel": not order.is_final and request.user.has_perm("orders.cancel_order"),
        "can_send_link": order.status == OrderStatus.DRAFT,
        "send_link_form": SendLinkForm(),
        "secret": secret,
        "can_reveal": bool(
            secret
            and secret.ciphertext
            and secret.revealed_at is None
            and request.user.has_perm("orders.reveal_enduser_secret")
            and (order.owner_id == request.user.pk or request.user.is_superuser)
        ),
    }
    return render(request, "orders/staff/detail.html", context)


def _action_of(order: Order, action_id: int):
    action = next((a for a in order.actions.all() if a.pk == action_id), None)
    if action is None:
        raise Http404("No such action on this order.")
    return action


def _run_action(order: Order, action, request, call, done: str):
    """Call one action service; report its refusal or its outcome, back to the actions."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"“{action.name}” {done}")
    return _back(order, "actions")


@orders_staff_required
@require_POST
def staff_action_process(request, number: int, action_id: int):
    order = _order_or_404(request, number)
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


@orders_staff_required
@require_POST
def staff_action_skip(request, number: int, action_id: int):
    order = _order_or_404(request, number)
    action = _action_of(order, action_id)
    form = SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why this step is skipped.")
        return _back(order, "actions")
    note = form.cleaned_data["note"]
    return _run_action(
        order,
        action,
        request,
        lambda: order_action_skip(action=action, actor=request.user, note=note),
        "is skipped.",
    )


@orders_staff_required
@require_POST
def staff_action_retry(request, number: int, action_id: int):
    order = _order_or_404(request, number)
    action = _action_of(order, action_id)
    return _run_action(
        order,
        action,
        request,
        lambda: order_action_retry(action=action, actor=request.user),
        "will run again.",
    )


@orders_staff_required
def staff_details_edit(request, number: int):
    """Dates, owner and priority (GET shows the form on its own page too)."""
    order = _order_or_404(request, number)
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
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form.add_error(None, _error_text(exc))
        else:
            messages.success(request, "The order's details are saved.")
            return _back(order, "details")
    return render(request, "orders/staff/details_form.html", {"order": order, "form": form})


@orders_staff_required
@require_POST
def staff_hold(request, number: int):
    order = _order_or_404(request, number)
    if not request.user.has_perm("orders.hold_order"):
        raise PermissionDenied
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        order_hold(order=order, actor=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"Order {order.number} is on hold.")
    return _back(order)


@orders_staff_required
@require_POST
def staff_resume(request, number: int):
    order = _order_or_404(request, number)
    if not request.user.has_perm("orders.hold_order"):
        raise PermissionDenied
    try:
        order_resume(order=order, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"Order {order.number} is resumed.")
    return _back(order)


@orders_staff_required
def staff_cancel(request, number: int):
    """A confirmation page, then the cancellation (never undone)."""
    order = _order_or_404(request, number)
    if not request.user.has_perm("orders.cancel_order"):
        raise PermissionDenied("Only orders managers cancel orders.")
    form = CancelForm(request.POST or None)
    if order.is_final:
        messages.error(
            request,
            f"Order {order.number} is {order.get_status_display().lower()}; "
            "it cannot be cancelled.",
        )
        return _back(order)
    if request.method == "POST" and form.is_valid():
        try:
            order_cancel(order=order, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, f"Order {order.number} is cancelled.")
            return _back(order)
    return render(request, "orders/staff/cancel.html", {"order": order, "form": form})


@orders_staff_required
def staff_organization(request, number: int):
    """Search client organizations by name or email domain, then associate one."""
    order = _order_or_404(request, number)
    if request.method == "POST":
        from accounts.models import Organization

        organization = get_object_or_404(
            Organization, pk=pk_or_404(request.POST.get("organization"))
        )
        try:
            order_organization_associate(order=order, actor=request.user, organization=organization)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"Order {order.number} now belongs to {organization}.")
        return _back(order, "details")
    form = OrganizationSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = sel.organizations_search(user=request.user, query=form.cleaned_data["q"])
    return render(
        request,
        "orders/staff/organization.html",
        {"order": order, "form": form, "results": results},
    )


@orders_staff_required
@require_POST
def staff_itsm_add(request, number: int):
    order = _order_or_404(request, number)
    form = ITSMTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(order, "itsm")
    try:
        order_itsm_ticket_add(order=order, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"ITSM ticket {form.cleaned_data['itsm_id']} is associated.")
    return _back(order, "itsm")


@orders_staff_required
@require_POST
def staff_itsm_status(request, number: int, ticket_id: int):
    order = _order_or_404(request, number)
    ticket = get_object_or_404(order.itsm_tickets, pk=ticket_id)
    try:
        ticket = order_itsm_ticket_set_status(
            ticket=ticket, actor=request.user, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, f"ITSM ticket {ticket.itsm_id} is {ticket.get_status_display().lower()}."
        )
    return _back(order, "itsm")


@orders_staff_required
@require_POST
def staff_message_post(request, number: int):
    """Post a message; with htmx only the thread is re-rendered."""
    order = _order_or_404(request, number)
    form = MessageForm(request.POST, request.FILES)
    thread_template = "orders/staff/_thread.html"
    if form.is_valid():
        quoted = None
        if form.cleaned_data["quoted"]:
            quoted = OrderMessage.objects.filter(
                order=order, pk=form.cleaned_data["quoted"]
            ).first()
        try:
            order_message_post(
                order=order,
                author=request.user,
                kind=form.cleaned_data["kind"],
                body=form.cleaned_data["body"],
                quoted=quoted,
                assigned_to=form.cleaned_data["assigned_to"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form.add_error(None, _error_text(exc))
        else:
            if request.headers.get("HX-Request"):
                return render(
                    request,
                    thread_template,
                    {
                        "order": order,
                        "thread": sel.staff_order_messages(order=order),
                        "message_form": MessageForm(initial={"kind": "reply"}),
                        "posted": True,
                    },
                )
            messages.success(request, "Your message is posted.")
            return _back(order, "thread")
    context = {
        "order": order,
        "thread": sel.staff_order_messages(order=order),
        "message_form": form,
    }
    if request.headers.get("HX-Request"):
        return render(request, thread_template, context)
    return render(request, "orders/staff/message_form.html", context, status=400)


@orders_staff_required
@require_POST
def staff_subscribe(request, number: int):
    order = _order_or_404(request, number)
    order_subscribe(order=order, user=request.user)
    messages.success(request, f"You follow order {order.number}: you get a copy of every message.")
    return _back(order)


@orders_staff_required
@require_POST
def staff_unsubscribe(request, number: int):
    order = _order_or_404(request, number)
    order_unsubscribe(order=order, user=request.user)
    messages.success(request, f"You no longer follow order {order.number}.")
    return _back(order)


@orders_staff_required
@require_POST
@never_cache
def staff_secret_reveal(request, number: int):
    """Show the end user's password once to the assigned technician (audited)."""
    order = _order_or_404(request, number)
    try:
        password = enduser_secret_reveal(order=order, actor=request.user)
    except OrderPermissionDenied as exc:
        raise PermissionDenied(_error_text(exc)) from exc
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _back(order)
    response = render(request, "orders/staff/secret.html", {"order": order, "password": password})
    response["Cache-Control"] = "no-store"
    return response


@orders_staff_required
@require_POST
def staff_send_link(request, number: int):
    """Email the client a link to finish a started draft."""
    order = _order_or_404(request, number)
    form = SendLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a valid email address.")
        return _back(order)
    try:
        email = order_finish_link_send(
            order=order, actor=request.user, to=form.cleaned_data["email"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        to = ", ".join(email.to) if email else "the coordinator"
        messages.success(request, f"The link to finish order {order.number} was sent to {to}.")
    return _back(order)


@orders_staff_required
@require_GET
def staff_attachment_download(request, pk: int):
    """Serve an attachment to orders staff only (never from a public media URL)."""
    attachment = sel.staff_attachment_get(user=request.user, pk=pk)
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
