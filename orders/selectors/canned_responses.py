"""The canned responses every staff order page offers, from the cache.

They are configuration (managed in the admin) read by every staff order page;
the receivers below forget the cached list whenever one is saved or deleted, at
once and again when that transaction commits. Listed in docs/architecture.md,
"Signals".
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from common.cache import cache_delete, cache_get, cache_set
from orders.models import CannedResponse

CANNED_RESPONSES_KEY = "orders:canned-responses"
# A safety net only: every save and delete forgets the list at once.
CANNED_RESPONSES_SECONDS = 300


def canned_responses_offered(*, order_type: str) -> list[CannedResponse]:
    """Active responses for orders of ``order_type``: that type's and those for every
    type, by name (no query when cached)."""
    active = cache_get(CANNED_RESPONSES_KEY)
    if active is None:
        active = list(CannedResponse.objects.filter(active=True).order_by("name"))
        cache_set(CANNED_RESPONSES_KEY, active, timeout=CANNED_RESPONSES_SECONDS, attempts=1)
    return [r for r in active if r.order_type in ("", order_type)]


def _forget() -> None:
    cache_delete(CANNED_RESPONSES_KEY)


def canned_responses_changed(**kwargs) -> None:
    """Receiver: a canned response was saved or deleted."""
    _forget()
    transaction.on_commit(_forget)


def connect_canned_response_receivers() -> None:
    """Called once from ``OrdersConfig.ready``."""
    uid = "orders.canned_responses"
    post_save.connect(canned_responses_changed, sender=CannedResponse, dispatch_uid=f"{uid}.saved")
    post_delete.connect(
        canned_responses_changed, sender=CannedResponse, dispatch_uid=f"{uid}.deleted"
    )
