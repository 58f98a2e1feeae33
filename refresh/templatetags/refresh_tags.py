from html import escape as _html_escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from common.moments import stamp_text
from refresh.choices import TicketStatus

register = template.Library()


def escape(value) -> str:
    return _html_escape(str(value))


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
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter(expects_localtime=True)
def stamp(value) -> str:
    """``value|date:"M j, Y g:i A"`` (e.g. "Nov 30, 2026 3:05 PM") built directly:
    Django's ``date`` filter looks its format settings up on every call, which cost
    the ticket page ~80 lookups a request over its timelines."""
    if not hasattr(value, "hour"):
        return date_filter(value, "M j, Y g:i A")
    return stamp_text(value)


@register.filter(expects_localtime=True)
def isotime(value) -> str:
    """``value|date:"c"`` without the format lookups (see ``stamp``)."""
    return value.isoformat() if hasattr(value, "isoformat") else ""


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


_ROW = (
    '<tr>{check}<td><a class="nowrap" href="{base}{id}/">{number}</a></td>'
    '<td><span class="mono nowrap">{serial}</span>{host}</td>'
    "<td>{user}{delegate}</td><td>{style}</td>"
    '<td><span class="badge {badge}">{status}</span>{problem}</td>'
    "<td>{team}</td><td>{config}</td>"
    '<td><span class="mono nowrap">{replacement}</span>{group}</td>'
    '<td class="nowrap">{since}</td></tr>'
)


@register.simple_tag(takes_context=True)
def timeline_nav(context, name: str, page, anchor: str, label: str) -> str:
    """ "Newer entries" / "Older entries" links of one timeline of the ticket page
    (plain links: they work without JavaScript); the other timelines keep their page."""
    if not (page.has_older or page.has_newer):
        return ""
    params = context["request"].GET.copy()
    links = []
    for show, number, text, rel in (
        (page.has_newer, page.number - 1, "Newer entries", "prev"),
        (page.has_older, page.number + 1, "Older entries", "next"),
    ):
        if not show:
            continue
        if number == 1:
            params.pop(name, None)
        else:
            params[name] = number
        links.append(
            f'<a class="btn btn--secondary btn--small" href="?{escape(params.urlencode())}'
            f'#{escape(anchor)}" rel="{rel}">{text}</a>'
        )
    return mark_safe(  # every value above is escaped
        f'<nav class="pagination" aria-label="{escape(label.capitalize())}, more">'
        f"<span>Page {page.number}, newest first</span>"
        f'<span class="pagination__links">{"".join(links)}</span></nav>'
    )


@register.simple_tag
def ticket_list_body(rows, detail_base: str, can_bulk: bool):
    """The staff list's table rows, built in Python: the longest list page renders
    in a few milliseconds instead of tens (the template engine costs per cell).

    Plain ``str.format`` over values escaped once with ``html.escape`` (what
    ``django.utils.html.escape`` does, without its per-call lazy-string checks),
    one ``mark_safe`` for the whole body, and each date formatted once per page.
    """
    dates: dict = {}

    def since(value) -> str:
        if value is None:
            return ""
        local = localtime(value)
        day = local.date()
        if day not in dates:
            dates[day] = escape(date_filter(local, "M j, Y"))
        return dates[day]

    base = escape(detail_base)
    parts = []
    for row in rows:
        number = escape(row["number"])
        parts.append(
            _ROW.format(
                check=(
                    '<td><input type="checkbox" class="ticket-check" name="ticket" '
                    f'value="{row["id"]}" aria-label="Select {number}"></td>'
                )
                if can_bulk
                else "",
                base=base,
                id=row["id"],
                number=number,
                serial=escape(row["serial"]),
                host=f'<br><span class="small muted nowrap">{escape(row["hostname"])}</span>'
                if row["hostname"]
                else "",
                user=escape(row["user"] or "—"),
                delegate=f'<br><span class="small muted">via {escape(row["delegate"])}</span>'
                if row["delegate"]
                else "",
                style=escape(row["style_label"]),
                badge=escape(status_badge(row["status"])),
                status=escape(row["status_label"]),
                problem=f'<br><span class="small refresh-problem">{escape(row["problem"])}</span>'
                if row["problem"]
                else "",
                team=escape(row["team"] or "—"),
                config=escape(row["config"]),
                replacement=escape(row["replacement"] or "—"),
                group=f'<br><span class="small">Group: {escape(row["group"])}</span>'
                if row["group"]
                else "",
                since=since(row["status_changed_at"]),
            )
        )
    return mark_safe("\n".join(parts))  # every value above is escaped
