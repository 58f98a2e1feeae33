"""The request-type parts of the order pages (answers, time), included by one tag each
so the order pages' views stay as they are."""

from django import template

from orders.choices import OPEN_ORDER_STATUSES, OrderStatus
from orders.forms.printed import plan_form_html, time_form_html
from orders.selectors import order_time_totals, orders_staff_people, request_type_fields
from orders.services import custom_answers

register = template.Library()


@register.filter
def minutes(value) -> str:
    """90 → "1 h 30 min"."""
    hours, rest = divmod(int(value or 0), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


@register.inclusion_tag("orders/request_types/_staff_panel.html", takes_context=True)
def staff_request_panel(context, order):
    """The answers, the time logged and the planned work of ``order``; the page's
    ``actions`` and ``staff_users`` when it has read them already. The empty forms
    come printed (``orders.forms.printed``)."""
    actions = context.get("actions")
    if actions is None:
        actions = list(order.actions.all())
    fields = (
        request_type_fields(request_type=order.request_type, include_archived=True)
        if order.request_type_id
        else []
    )
    return {
        "order": order,
        "answers": custom_answers(order=order, fields=fields),
        "has_fields": any(f.archived_at is None and f.kind != "file" for f in fields),
        "time": order_time_totals(order=order),
        "time_form_html": time_form_html(order=order, actions=actions),
        **_plan(order, actions, context.get("staff_users")),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


def _plan(order, actions, staff=None) -> dict:
    """The planned actions (owner and date) and the form to add one, on open orders;
    ``staff``: the people who work orders when the page has read them already."""
    if order.status not in OPEN_ORDER_STATUSES or order.status == OrderStatus.DRAFT:
        return {"planned": [], "plan_form_html": None}
    staff = orders_staff_people() if staff is None else staff
    names = {u.pk: u.display_name for u in staff}
    planned = [
        {"action": a, "owner": names.get(a.owner_id, ""), "date": a.planned_date}
        for a in actions
        if a.owner_id or a.planned_date
    ]
    return {"planned": planned, "plan_form_html": plan_form_html(staff=staff)}


@register.inclusion_tag("orders/request_types/_portal_answers.html")
def portal_request_answers(order):
    if not order.custom_values:
        return {"answers": []}
    return {"answers": [a for a in custom_answers(order=order) if not a["removed"]]}
