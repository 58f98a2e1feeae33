"""What a page reached by a personal link answers when the link cannot be used.

One answer for every app's link pages (issue 19 item 5, issue 14 items 7 and 9):
an unknown, used, revoked or expired link answers 410 Gone with the "This link
does not work" page; a client over the guessing limit answers 429 with
Retry-After; neither may be cached. Pages reached by a token also use
``never_cache`` so a shared computer's browser keeps no copy of them.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .links import RETRY_AFTER_SECONDS, LinkInvalid, LinkRateLimited


def link_invalid_response(
    request, exc: LinkInvalid, *, contact_email: str = "", contact_name: str = "", contact_phone=""
):
    """410 (or 429 with Retry-After when rate-limited) with the dead-link page, never cached."""
    limited = isinstance(exc, LinkRateLimited)
    response = render(
        request,
        "notifications/link_invalid.html",
        {
            "reason": exc.reason,
            "limited": limited,
            "contact_email": contact_email,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
        },
        status=429 if limited else 410,
    )
    if limited:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
