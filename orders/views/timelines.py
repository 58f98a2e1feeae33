"""The order pages' timelines with their "show older" / "show newer" links."""

from __future__ import annotations

from django.utils.http import urlencode

from orders.selectors import TimelinePage, timeline_page


def timeline(
    request,
    newest_first,
    *,
    page_url: str,
    param: str,
    anchor: str,
    oldest_first: bool = False,
    rows=None,
) -> TimelinePage:
    """The page of ``newest_first`` the query parameter ``param`` asks for, with links
    to the pages beside it (the page's other parameters kept, back at ``anchor``);
    ``rows`` turns the page's entries into what the template prints
    (``orders.views.timeline_rows``)."""
    page = timeline_page(newest_first, page=request.GET.get(param), oldest_first=oldest_first)
    if rows is not None:
        page.entries = rows(page.entries)
    keep = {k: v for k, v in request.GET.items() if k != param and v}

    def link(number: int) -> str:
        query = urlencode({**keep, param: number} if number > 1 else keep)
        return f"{page_url}?{query}#{anchor}" if query else f"{page_url}#{anchor}"

    page.older_url = link(page.number + 1) if page.has_older else ""
    page.newer_url = link(page.number - 1) if page.has_newer else ""
    return page
