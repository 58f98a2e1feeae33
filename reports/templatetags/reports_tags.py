"""``{% export_links "tickets" querystring %}``: the export links under a staff list."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.inclusion_tag("reports/_export_links.html", takes_context=True)
def export_links(context, list_name: str, query: str = "", **extra):
    """CSV / Excel / "Save this view" links carrying the list's filters.

    ``query`` is the list's own query string; keyword arguments add filters the
    page keeps elsewhere (the queue in the URL, the calendar's week).
    """
    params = QueryDict(query or "", mutable=True)
    params.pop("page", None)
    for name, value in extra.items():
        if value not in (None, ""):
            params[name] = str(value)
    return {"list": list_name, "query": params.urlencode(), "perms": context.get("perms")}
