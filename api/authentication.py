"""``Authorization: Bearer hov_…``: an API key acts as its user.

The user's permissions and roles come from the same per-person cache the
pages use (``accounts.access``), renewed whenever their roles change, so a
warm API request reads the key and its user, not the permission tables.
"""

from __future__ import annotations

from rest_framework import authentication, exceptions

from accounts.access import user_access_attach

from .selectors import api_key_find
from .services import api_key_mark_used


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        key = api_key_find(token=token.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("The API key is unknown, expired or revoked.")
        api_key_mark_used(key=key)
        return user_access_attach(key.user), key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
