"""RFC 6238 time-based one-time codes, computed independently of the code under test."""

import base64
import hashlib
import hmac
import re
import struct
import time

# A code made this close to the end of its 30 s window may reach the server in
# the next one, which refuses it (allauth's TOTP_TOLERANCE is 0): wait instead.
# (A browser test under load failed so: code read at :59.7, posted at :00.1.)
WINDOW_MARGIN = 3.0


def totp_code(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    if at is None and (left := step - time.time() % step) < WINDOW_MARGIN:
        time.sleep(left + 0.05)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def secret_on_page(html: str) -> str:
    """The base32 secret the TOTP activation page shows next to its QR code."""
    match = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html) or re.search(
        r'value="([A-Z2-7]+)"[^>]*id="authenticator_secret"', html
    )
    assert match, "no authenticator secret on the page"
    return match.group(1)


def enrolled_totp_secret(user) -> str:
    """Give ``user`` an authenticator app (as if they had enrolled); returns its secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, decrypt, generate_totp_secret

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
