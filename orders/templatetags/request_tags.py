"""The request-type parts of the order pages (answers, time), included by one tag each
so the order pages' views stay as they are."""

from django import template

from orders.forms.custom_fields import TimeEntryForm
from orders.selectors import order_time_totals, request_type_fields
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
        "time_form": TimeEntryForm(order=order, actions=context.get("actions"), prefix="time"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("orders/request_types/_portal_answers.html")
def portal_request_answers(order):
    if not order.custom_values:
        return {"answers": []}
    return {"answers": [a for a in custom_answers(order=order) if not a["removed"]]}
