"""Staff order manager: lists by status and by queue, the order page, its thread.

Every view requires ``orders.work_order`` (orders technicians and managers);
anyone else signed in gets a 403, anonymous visitors the login page. Writes
are POST only and call the services; each redirects back to the order page.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_fsm import can_proceed, has_transition_perm

from accounts.permissions import role_required
from common.form_render import form_html
from common.forms import error_text, form_add_service_error
from orders import selectors as sel
from orders.choices import ActionStatus, ITSMTicketStatus, OrderStatus
from orders.exceptions import OrderPermissionDenied
from orders.forms.desk import compose_form_class
from orders.forms.staff import ITSMTicketForm, OrderFilterForm
from orders.models import Order
from orders.services import (
    enduser_secret_live,
    enduser_secret_reveal,
    order_message_post,
    order_subscribe,
    order_unsubscribe,
)
from orders.views.compose import compose_forms, compose_post_kwargs
from orders.views.order_actions_html import action_items_html
from orders.views.order_rows import order_rows
from orders.views.order_sidebar_html import SidebarFacts, sidebar_html
from orders.views.timeline_html import audit_items_html, email_items_html, thread_items_html
from orders.views.timeline_rows import (
    audit_rows,
    email_rows,
    message_rows,
    staff_attachment_url,
)
from orders.views.timelines import timeline

PAGE_SIZE = 25

# Deny by default: only people who work orders get past this.
orders_staff = role_required("orders.work_order", message="The order manager is for orders staff.")


def order_or_404(request, number: int) -> Order:
    order = sel.staff_order_get(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    return order


def back_to_order(order: Order, anchor: str = ""):
    url = reverse("orders:staff_detail", args=[order.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


def call_and_report(request, call, success) -> bool:
    """Run one service call; flash its refusal, or ``success`` (text, or a function
    of the call's result). True when the call went through."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def _list_context(request, *, queues, queue_id=None, step: int = 0) -> dict:
    """The filter form, status tabs and one page of orders (``staff_orders_list_page``:
    two queries); ``queues`` (the sidebar's) also fill the form's queue choices."""
    form = OrderFilterForm(request.GET or None, queues=queues)
    filters = sel.OrderFilters(queue_id=queue_id, step=step)
    if form.is_valid():
        data = form.cleaned_data
        filters = sel.OrderFilters(
            queue_id=queue_id or (data["queue"].pk if data["queue"] else None),
            status=data["status"],
            search=data["q"],
            step=step,
            owner_id=request.user.pk if data["mine"] else None,
        )
    page = sel.staff_orders_list_page(
        user=request.user, filters=filters, params=request.GET, per_page=PAGE_SIZE
    )
    querystring = sel.filters_querystring(request.GET)
    counts = sel.staff_status_counts(user=request.user, queue_id=filters.queue_id)
    without_status = {
        k: v for k, v in request.GET.items() if k not in (*sel.PAGE_PARAMS, "status") and v
    }
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
        "orders": order_rows(page.rows),
        "status": filters.status,
        "q": filters.search,
        "status_tabs": status_tabs,
        "all_query": urlencode(without_status),
        "total": sum(counts.values()),
        "querystring": querystring,
        "queues": queues,
    }


@orders_staff
@require_GET
def staff_list(request):
    """Every order, by status (tabs with counts), searchable; queues in the sidebar."""
    context = _list_context(request, queues=sel.staff_queues(user=request.user))
    context["follow_ups"] = sel.staff_follow_ups_for(user=request.user)
    return render(request, "orders/staff/list.html", context)


@orders_staff
@require_GET
def staff_queue(request, queue_id: int):
    """One queue: its steps with how many orders wait on each, and its orders."""
    queues = sel.staff_queues(user=request.user)
    queue = sel.staff_queue_get(user=request.user, queue_id=queue_id)
    if queue is None:
        raise Http404("No such queue.")
    try:
        step = int(request.GET.get("step") or 0)
    except ValueError:
        step = 0
    context = _list_context(request, queues=queues, queue_id=queue.pk, step=step)
    context.update(
        {
            "queue": queue,
            "steps": sel.staff_step_counts(user=request.user, queue=queue),
            "step": step,
        }
    )
    return render(request, "orders/staff/queue.html", context)


@functools.cache
def itsm_form_html() -> str:
    """The empty "associate an ITSM ticket" form: it depends on neither the order nor
    the person, so it is printed once per process."""
    return form_html(ITSMTicketForm())


def _transition_allowed(order: Order, name: str, user) -> bool:
    method = getattr(order, name)
    return can_proceed(method) and has_transition_perm(method, user)


def _thread(request, *, order: Order, page_url: str = ""):
    """The newest messages of the order's thread (older ones a link away), oldest first."""
    detail_url = page_url or reverse("orders:staff_detail", args=[order.number])
    page = timeline(
        request,
        sel.staff_order_thread(order=order),
        page_url=detail_url,
        param="messages",
        anchor="thread",
        oldest_first=True,
        rows=lambda messages: message_rows(
            sel.thread_attachments_read(messages), attachment_url=staff_attachment_url()
        ),
    )
    page.html = thread_items_html(page.entries, detail_url=detail_url)
    return page


def _printed(request, newest_first, *, page_url: str, param: str, rows, items_html):
    """A timeline of the page (at ``#param``, paged by ``?param=``), its entries
    turned into rows and printed (``orders.views.timeline_html``)."""
    page = timeline(request, newest_first, page_url=page_url, param=param, anchor=param, rows=rows)
    page.html = items_html(page.entries)
    return page


@orders_staff
@require_GET
@never_cache
def staff_detail(request, number: int):
    order = order_or_404(request, number)
    actions = list(order.actions.all())
    current = next(
        (a for a in actions if a.status not in (ActionStatus.DONE, ActionStatus.SKIPPED)), None
    )
    workable = order.status in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS)
    page_url = reverse("orders:staff_detail", args=[order.number])
    thread = _thread(request, order=order, page_url=page_url)
    quote = None
    quote_id = request.GET.get("quote")
    if quote_id and quote_id.isdigit():
        quote = next((m for m in thread.entries if m.pk == int(quote_id)), None)
        quote = quote or sel.staff_message_get(order=order, message_id=int(quote_id))
    initial_kind = request.GET.get("kind") or "reply"
    staff_users = sel.orders_staff_people()
    subscribed = sel.staff_order_subscribed_users(order=order)
    compose = compose_forms(
        request,
        order=order,
        kind=initial_kind,
        quote=quote,
        staff=staff_users,
        subscribers=subscribed,
    )
    itsm_tickets = list(sel.staff_order_itsm_tickets(order=order))
    appointments = sel.staff_order_appointments(order=order)
    secret = enduser_secret_live(order=order) if order.order_type == "install_software" else None
    user = request.user
    csrf_token = get_token(request)
    sidebar = SidebarFacts(
        can_edit_information=user.has_perm("orders.edit_order_information"),
        can_hold=_transition_allowed(order, "hold", user),
        secret=secret,
        can_reveal=bool(
            secret
            and secret.ciphertext
            and secret.revealed_at is None
            and user.has_perm("orders.reveal_enduser_secret")
            and (order.owner_id == user.pk or user.is_superuser)
        ),
        open_tickets=[t for t in itsm_tickets if t.status != ITSMTicketStatus.CLOSED],
        closed_tickets=[t for t in itsm_tickets if t.status == ITSMTicketStatus.CLOSED],
        itsm_form_html=itsm_form_html(),
        subscribers=sorted(subscribed, key=lambda u: (u.full_name.casefold(), u.email.casefold())),
        csrf_token=csrf_token,
    )
    context = {
        # The token the printed forms carry, for the template's forms too: one
        # masked token per page instead of a second one from the context processor.
        "csrf_token": csrf_token,
        "order": order,
        "appointment": next((b for b in appointments if b.cancelled_at is None), None),
        "appointment_history": [b for b in appointments if b.cancelled_at is not None],
        "actions": actions,  # the request panel's time and planned-work forms read them
        "actions_html": action_items_html(
            number=order.number,
            actions=actions,
            current=current if workable else None,
            csrf_token=csrf_token,
        ),
        "thread": thread,
        "quote": quote,
        **compose,
        "staff_users": staff_users,
        "audits": _printed(
            request,
            sel.staff_order_audits(order=order),
            page_url=page_url,
            param="history",
            rows=audit_rows,
            items_html=audit_items_html,
        ),
        "emails": _printed(
            request,
            sel.staff_order_emails(order=order),
            page_url=page_url,
            param="emails",
            rows=email_rows,
            items_html=email_items_html,
        ),
        "subscribed": any(u.pk == user.pk for u in subscribed),
        "can_resume": _transition_allowed(order, "resume", user),
        "can_cancel": not order.is_final and user.has_perm("orders.cancel_order"),
        "sidebar_html": sidebar_html(order, sidebar),
    }
    return render(request, "orders/staff/detail.html", context)


@orders_staff
@require_POST
def staff_message_post(request, number: int):
    """Post a message; with htmx only the thread is re-rendered."""
    order = order_or_404(request, number)
    form = compose_form_class()(request.POST, request.FILES)
    thread_template = "orders/staff/_thread.html"
    if form.is_valid():
        quoted = sel.staff_message_get(order=order, message_id=form.cleaned_data["quoted"])
        try:
            order_message_post(
                order=order,
                author=request.user,
                kind=form.cleaned_data["kind"],
                body=form.cleaned_data["body"],
                quoted=quoted,
                assigned_to=form.cleaned_data["assigned_to"],
                files=form.cleaned_data["attachments"],
                **compose_post_kwargs(form),
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            if request.headers.get("HX-Request"):
                return render(
                    request,
                    thread_template,
                    {
                        "order": order,
                        "thread": _thread(request, order=order),
                        **compose_forms(request, order=order, kind="reply"),
                        "posted": True,
                    },
                )
            messages.success(request, "Your message is posted.")
            return back_to_order(order, "thread")
    context = {
        "order": order,
        "thread": _thread(request, order=order),
        "message_form": form,
    }
    if request.headers.get("HX-Request"):
        return render(request, thread_template, context)
    return render(request, "orders/staff/message_form.html", context, status=400)


@orders_staff
@require_POST
def staff_subscribe(request, number: int):
    order = order_or_404(request, number)
    order_subscribe(order=order, user=request.user)
    messages.success(request, f"You follow order {order.number}: you get a copy of every message.")
    return back_to_order(order)


@orders_staff
@require_POST
def staff_unsubscribe(request, number: int):
    order = order_or_404(request, number)
    order_unsubscribe(order=order, user=request.user)
    messages.success(request, f"You no longer follow order {order.number}.")
    return back_to_order(order)


@orders_staff
@require_POST
@never_cache
def staff_secret_reveal(request, number: int):
    """Show the end user's password once to the assigned technician (audited)."""
    order = order_or_404(request, number)
    try:
        password = enduser_secret_reveal(order=order, actor=request.user)
    except OrderPermissionDenied as exc:
        raise PermissionDenied(error_text(exc)) from exc
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return back_to_order(order)
    response = render(request, "orders/staff/secret.html", {"order": order, "password": password})
    response["Cache-Control"] = "no-store"
    return response
