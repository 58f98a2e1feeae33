"""How long a refused sign-in must wait, for a message a person can act on.

allauth counts wrong passwords (``ACCOUNT_RATE_LIMITS["login_failed"]``, our
``RATE_LIMIT_LOGIN_FAILED``). Our default has a short per-account window
before the long one: a few wrong passwords in a row are slowed ("Too many
attempts, wait N seconds") before the account is locked for the long window.
This reads allauth's own counters (the rate-limit helpers of
``allauth.core.internal.ratelimit``) to say which limit refused and for how long.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.core.cache import cache

APP = "allauth.account"
ACTION = "login_failed"
# A refusing window up to this long is a "slow down"; a longer one is the lock.
SLOW_DOWN_MAX_SECONDS = 120


@dataclass(frozen=True)
class SignInWait:
    seconds: int
    locked: bool

    @property
    def message(self) -> str:
        if not self.locked:
            return f"Too many attempts, wait {self.seconds} seconds and try again."
        minutes = max(1, math.ceil(self.seconds / 60))
        return (
            "Too many failed sign-in attempts. This account is locked for a while: "
            f"try again in {minutes} minute{'s' if minutes != 1 else ''}, "
            "or reset your password."
        )


def sign_in_wait(request, *, key: str) -> SignInWait | None:
    """The longest wait any exhausted ``login_failed`` limit imposes now (None: none)."""
    now = time.time()
    waits = []
    for rate in get_rates(app=APP, action=ACTION):
        cache_key = get_cache_key(request, app=APP, action=ACTION, rate=rate, key=key)
        history = sorted(
            (ts for ts in cache.get(cache_key, []) if ts > now - rate.duration), reverse=True
        )
        if len(history) >= rate.amount:
            free_at = history[rate.amount - 1] + rate.duration
            waits.append((max(1, math.ceil(free_at - now)), rate.duration))
    if not waits:
        return None
    seconds, duration = max(waits)
    return SignInWait(seconds=seconds, locked=duration > SLOW_DOWN_MAX_SECONDS)
