"""Writes of the API app: API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiKey

TOKEN_PREFIX = "hov_"
# last_used_at is written at most this often per key: one UPDATE a minute, not per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_key_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    user,
    name: str,
    expires_at: dt.datetime | None = None,
    created_by=None,
    token: str | None = None,
) -> tuple[ApiKey, str]:
    """A new key for ``user``; returns (key, token). The token is never stored or shown again.

    ``token`` is for the demo data only (a documented, well-known key); keys are
    otherwise always random.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the key a name, e.g. what will use it."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "Choose an expiry in the future."})
    if not user.is_active:
        raise ValidationError("Inactive accounts cannot have API keys.")
    if token is None:
        token = f"{TOKEN_PREFIX}{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"
    prefix = token[len(TOKEN_PREFIX) :].split("_", 1)[0]
    key = ApiKey.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        key_hash=api_key_hash(token),
        expires_at=expires_at,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    return key, token


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor) -> ApiKey:
    """Revoke a key for good (its owner or a superuser); revoking twice changes nothing."""
    if not (actor.is_superuser or actor.pk == key.user_id):
        raise ValidationError("You may only revoke your own keys.")
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db(fields=["revoked_at"])
    return key


def api_key_mark_used(*, key: ApiKey, now: dt.datetime | None = None) -> None:
    """Record use, at most once per ``LAST_USED_RESOLUTION`` (a conditional UPDATE)."""
    now = now or timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
