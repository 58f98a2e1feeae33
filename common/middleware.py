"""One structured log line per request, tagged with a request id."""

from __future__ import annotations

import logging
import re
import time
import uuid

from .logging import redact, request_id_var

logger = logging.getLogger("handover.request")

# A request id from the proxy is kept when it looks like one (no log injection).
INCOMING_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (X-Request-ID from the proxy, or a new one), log it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # Only a user the view already loaded: logging costs no query.
            user = getattr(request, "_cached_user", None)
            path = redact(request.path)
            logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
