from django import template

from common.form_render import form_html

register = template.Library()

_STATUS_BADGES = {
    "draft": "",
    "submitted": "badge--primary",
    "in_progress": "badge--primary",
    "on_hold": "badge--warning",
    "completed": "badge--success",
    "cancelled": "badge--danger",
    "pending": "",
    "running": "badge--primary",
    "done": "badge--success",
    "skipped": "badge--warning",
    "failed": "badge--danger",
}


@register.filter
def order_status_badge(status: str) -> str:
    """The badge modifier class for an order or action status."""
    return _STATUS_BADGES.get(str(status), "")


@register.filter
def plain_form(form) -> str:
    """``{% include "includes/form.html" with form=form %}``, printed in Python (the
    same markup; ``common.form_render``): the order pages render several forms."""
    return form_html(form)
