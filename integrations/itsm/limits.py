"""Rate limits the way TeamDynamix counts them, shared by the client and the stub.

TDX limits each API method per IP address with a window that starts at the
first call and resets a fixed number of seconds later (ticket create: 30 calls
per 60 s; most other methods 60 per 60 s). A 429 carries ``X-RateLimit-Reset``
as an RFC 1123 date; the documented advice is to wait until then plus a few
seconds for clock skew. The counters live in the cache so web and worker
processes share them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time

from django.core.cache import cache

WINDOW_SECONDS = 60
SKEW_SECONDS = 5


def window_wait(*, bucket: str, limit: int, window: int = WINDOW_SECONDS, now=None) -> float:
    """Count one call in ``bucket``; 0 when allowed, else seconds until the window resets.

    The window starts with the first call (not on the clock minute), as TDX's does.
    """
    now = time.time() if now is None else now
    start_key = f"itsm-window:{bucket}:start"
    cache.add(start_key, now, timeout=window)
    start = cache.get(start_key) or now
    count_key = f"itsm-window:{bucket}:{start:.6f}"
    cache.add(count_key, 0, timeout=window + SKEW_SECONDS)
    try:
        count = cache.incr(count_key)
    except ValueError:  # expired between add and incr: a fresh window
        cache.set(count_key, 1, timeout=window + SKEW_SECONDS)
        count = 1
    if count <= limit:
        return 0.0
    return max(0.0, start + window - now)


def parse_reset(header: str, *, now: float | None = None) -> float | None:
    """Seconds until an ``X-RateLimit-Reset`` value (RFC 1123 date), or None if unreadable.

    Epoch seconds and ISO 8601 are accepted too, in case a proxy rewrites it.
    """
    now = time.time() if now is None else now
    header = (header or "").strip()
    if not header:
        return None
    try:
        return max(0.0, float(header) - now)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        try:
            parsed = dt.datetime.fromisoformat(header)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return max(0.0, parsed.timestamp() - now)


def rfc1123(moment: float) -> str:
    """``moment`` (epoch seconds) as TDX writes ``X-RateLimit-Reset``."""
    return email.utils.formatdate(moment, usegmt=True)
