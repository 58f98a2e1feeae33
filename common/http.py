"""Facts about the request that several apps need."""

from django.conf import settings
from django.http import FileResponse, Http404


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only through known proxies.

    With ``TRUSTED_PROXY_COUNT = n`` the n-th address from the right of
    X-Forwarded-For is the client (each trusted proxy appends the address it
    saw); anything to its left was written by the client and is ignored. With
    no trusted proxy (the default) it is REMOTE_ADDR.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def pk_or_404(value) -> int:
    """``value`` as a primary key, or Http404 when it is not a 64-bit positive number.

    Hostile ids ("abc", "²", 10**30) would otherwise reach the database and
    fail there with a 500.
    """
    from django.http import Http404

    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        raise Http404("No such object.")
    return int(text)


def stored_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored upload as a private download (404 when the file is gone).

    ``nosniff`` so a browser never runs it as something else; ``no-store`` so no
    shared cache keeps a person's file.
    """
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
