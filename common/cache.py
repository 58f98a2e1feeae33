"""The cache is an optimisation, never a dependency: reads fall back, writes wait.

With the cache (Redis) briefly down a transition must still commit: reads
return ``default`` (callers then read the database), and invalidations are
made after commit, retried a few times, and only logged when they still fail
(the entries they would drop expire on their own or are versioned).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

UNAVAILABLE = object()
SET_ATTEMPTS = 3


def cache_get(key: str, default: Any = None, *, unavailable: Any = None) -> Any:
    """``cache.get(key, default)``; ``unavailable`` when the cache cannot be reached."""
    try:
        return cache.get(key, default)
    except Exception:  # any backend error: the caller reads the database instead
        logger.warning("cache unavailable reading %s", key, exc_info=True)
        return unavailable


def cache_set(key: str, value: Any, *, timeout: float | None, attempts: int = SET_ATTEMPTS) -> bool:
    """``cache.set``, retried a few times; False (logged) when the cache stays down.

    A fill after a read (``attempts=1``) is not worth waiting for; an
    invalidation is.
    """
    for attempt in range(attempts):
        try:
            cache.set(key, value, timeout=timeout)
            return True
        except Exception:
            if attempt + 1 < attempts:
                time.sleep(0.05 * 2**attempt)
    logger.warning("cache unavailable writing %s", key)
    return False


def cache_delete(key: str) -> bool:
    """``cache.delete``, retried a few times; False (logged) when the cache stays down."""
    for attempt in range(SET_ATTEMPTS):
        try:
            cache.delete(key)
            return True
        except Exception:
            if attempt + 1 < SET_ATTEMPTS:
                time.sleep(0.05 * 2**attempt)
    logger.warning("cache unavailable deleting %s", key)
    return False


def cache_version_bump(key: str) -> None:
    """Give a version key a new value now and again after commit (both never fail).

    Now: this transaction's own later reads miss the stale entries. After
    commit: a reader in another process that cached between the two from the
    pre-commit state is invalidated too.
    """
    cache_set(key, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache_set(key, uuid.uuid4().hex, timeout=None))
