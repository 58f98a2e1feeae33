from django import template

from refresh.choices import TicketStatus

register = template.Library()

S = TicketStatus
_BADGES = {
    S.PENDING_LOCATION_INFO: "badge--danger",
    S.PENDING_APPROVAL: "badge--warning",
    S.ON_HOLD: "badge--warning",
    S.DELIVERY_SCHEDULED: "badge--primary",
    S.PENDING_DELIVERY: "badge--primary",
    S.INSTALLED: "badge--success",
    S.COMPLETE: "badge--success",
    S.CANCELLED: "",
}


@register.filter
def status_badge(status: str) -> str:
    """The badge modifier class for a ticket status."""
    return _BADGES.get(status, "badge--primary" if status else "")


@register.filter
def status_label(status: str) -> str:
    try:
        return TicketStatus(status).label
    except ValueError:
        return status or "—"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (empty value removes one)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
