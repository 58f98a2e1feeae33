"""Reads of the API app: API keys."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet

from .models import ApiKey
from .services import TOKEN_PREFIX, api_key_hash


def api_keys_for_user(*, user) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user=user).order_by("-created_at", "-id")


def api_key_find(*, token: str) -> ApiKey | None:
    """The live key matching ``token`` (with its user), or None."""
    if not token.startswith(TOKEN_PREFIX) or token.count("_") < 2:
        return None
    prefix = token[len(TOKEN_PREFIX) :].split("_", 1)[0]
    key = ApiKey.objects.select_related("user", "user__organization").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, api_key_hash(token)):
        return None
    if not key.is_live() or not key.user.is_active:
        return None
    return key
