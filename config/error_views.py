"""The project's 403, 404 and 500 pages: the site's layout, the signed-in person's
navigation and a way back. Under /api/ they stay problem+json like the rest of
the API; 410 (dead emailed links) keeps its own page (``notifications.link_pages``).
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

from api.exceptions import PROBLEM_BASE, PROBLEM_CONTENT_TYPE, TITLES
from api.exceptions import page_not_found as api_page_not_found

logger = logging.getLogger(__name__)

DEFAULT_403 = "Your role does not give access to this page."

PLAIN_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Something went wrong</title></head><body><main>"
    "<h1>Something went wrong on our side</h1>"
    "<p>The error is logged and IT is told. Try again in a minute.</p>"
    '<p><a href="/">Go to the home page</a></p></main></body></html>'
)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _problem(status: int, detail: str):
    from django.http import JsonResponse

    title = TITLES.get(status, "Error")
    return JsonResponse(
        {
            "type": PROBLEM_BASE + title.lower().replace(" ", "-"),
            "title": title,
            "status": status,
            "detail": detail,
        },
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _back_url(request) -> str:
    """Where "Go back" leads: the page that linked here when it is ours, else home."""
    referer = request.META.get("HTTP_REFERER", "")
    ours = bool(referer) and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    same_page = referer.split(request.get_host(), 1)[-1] == request.get_full_path()
    return referer if ours and not same_page else ""


def _page(request, template: str, status: int, **context):
    return render(request, template, {"back_url": _back_url(request), **context}, status=status)


@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception or "") or DEFAULT_403
    if _is_api(request):
        return _problem(403, message)
    return _page(request, "403.html", 403, reason=message)


@requires_csrf_token
def page_not_found(request, exception=None):
    if _is_api(request):
        return api_page_not_found(request, exception)
    return _page(request, "404.html", 404, request_path=request.path)


@requires_csrf_token
def server_error(request):
    """The layout with navigation when it can be drawn; a plain page when even that fails
    (the database may be what is down)."""
    if _is_api(request):
        return _problem(500, "The server failed; the error is logged. Try again later.")
    try:
        return _page(request, "500.html", 500)
    except Exception:
        logger.exception("The 500 page could not be drawn; a plain one was sent.")
        return HttpResponseServerError(PLAIN_500)
