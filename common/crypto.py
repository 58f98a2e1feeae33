"""MultiFernet encryption for secrets at rest (STYLE.md, security habits): what end
users give us (orders) and the sealed personal-link tokens of queued emails
(notifications).

Keys come from ``settings.FERNET_KEYS`` (newest first: it encrypts; every key
decrypts, so keys rotate by prepending a new one and re-encrypting with
``secret_rotate``). With no keys configured, a development key is derived from
SECRET_KEY, only when DEBUG or testing; otherwise it is a configuration error.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> list[bytes]:
    keys = [k.encode() if isinstance(k, str) else k for k in settings.FERNET_KEYS if k]
    if keys:
        return keys
    if settings.DEBUG:
        # The salt keeps its first name so secrets stored in development still open.
        digest = hashlib.sha256(f"orders-fernet:{settings.SECRET_KEY}".encode()).digest()
        return [base64.urlsafe_b64encode(digest)]
    raise ImproperlyConfigured(
        "FERNET_KEYS must name at least one key (generate one with "
        "`python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'`)."
    )


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def secret_encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "The stored secret cannot be decrypted with the configured FERNET_KEYS."
        ) from exc


def secret_rotate(token: str) -> str:
    """Re-encrypt ``token`` under the newest key."""
    return _fernet().rotate(token.encode()).decode()
