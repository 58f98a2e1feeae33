"""Emailed personal links: create, resolve, revoke.

Rules (STYLE.md, security habits): a random token of 256 bits, stored as its
SHA-256, tied to one object and one purpose, expiring, revocable. Resolving a
link never changes the object it points at: views change state only on POST.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from common.crypto import secret_decrypt, secret_encrypt
from common.http import client_ip

from .models import AccessLink


class LinkInvalid(Exception):
    """The link cannot be used; ``reason`` is safe to show to the person."""

    def __init__(self, reason: str, *, link: AccessLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.link = link


class LinkRateLimited(LinkInvalid):
    pass


@dataclass(frozen=True)
class IssuedLink:
    """A new link and its raw token (held in memory only).

    ``token`` goes where the link is shown at once (``seed_demo`` prints it);
    an email gets ``ref`` in its place: the token sealed with FERNET_KEYS,
    which ``notifications.rendering`` opens only when the message is sent, so
    the stored email never holds a live link (issue 14 item 5).
    """

    link: AccessLink
    token: str

    def url(self, path: str) -> str:
        """Absolute URL for ``path`` (which contains the token or ``ref``) on SITE_URL."""
        return f"{settings.SITE_URL}{path}"

    @cached_property
    def ref(self) -> str:
        return link_ref(self.token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A sealed token in a stored email: "~link.<Fernet token>~". The characters
# survive reverse(), URL converters and HTML escaping, and never occur in a raw
# token; Fernet's authentication means message text cannot forge one.
LINK_REF_RE = re.compile(r"~link\.([A-Za-z0-9_\-=]+)~")


def link_ref(token: str) -> str:
    """What an email stores in place of ``token``."""
    return f"~link.{secret_encrypt(token)}~"


def link_ref_token(sealed: str) -> str | None:
    """The raw token of a ref's sealed part, None when it cannot be opened."""
    try:
        return secret_decrypt(sealed)
    except Exception:  # noqa: BLE001 - a foreign or stale ref is just "not ours"
        return None


def access_link_issue(
    *, target, purpose: str, email: str, days: int | None = None, revoke_previous: bool = True
) -> IssuedLink:
    """Create a link for ``target``/``purpose``; earlier ones for the same pair are revoked."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    target_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        if revoke_previous:
            AccessLink.objects.filter(
                target_type=target_type,
                target_id=str(target.pk),
                purpose=purpose,
                revoked_at__isnull=True,
            ).update(revoked_at=now, revoked_reason="A newer link was sent.")
        link = AccessLink.objects.create(
            token_hash=hash_token(token),
            purpose=purpose,
            target_type=target_type,
            target_id=str(target.pk),
            email=email,
            expires_at=now + timedelta(days=days or settings.ACCESS_LINK_DAYS),
        )
    return IssuedLink(link=link, token=token)


# Unknown tokens tried per minute from one client address, and per address
# and token prefix; past either, unknown tokens are answered 429. Live tokens
# are never refused, so a guesser sharing an address cannot lock out the owner.
FAILURES_PER_MINUTE = 20
FAILURES_PER_PREFIX_PER_MINUTE = 5
TOKEN_PREFIX_LENGTH = 6
RETRY_AFTER_SECONDS = 60


def _failure_keys(client_key: str, token: str) -> list[tuple[str, int]]:
    prefix = (token or "")[:TOKEN_PREFIX_LENGTH]
    return [
        (f"access-link-fail:{client_key}", FAILURES_PER_MINUTE),
        (f"access-link-fail:{client_key}:{prefix}", FAILURES_PER_PREFIX_PER_MINUTE),
    ]


def link_guess_record(*, client_key: str, token: str) -> None:
    """Count one unknown token from ``client_key``; LinkRateLimited past the limit."""
    limited = False
    for key, limit in _failure_keys(client_key, token):
        added = cache.add(key, 1, timeout=RETRY_AFTER_SECONDS)
        count = 1 if added else cache.incr(key)
        limited = limited or count > limit
    if limited:
        raise LinkRateLimited("Too many attempts. Wait a minute and try the link again.")


def access_link_resolve(*, token: str, purpose: str, client_key: str = "") -> AccessLink:
    """The live link for ``token``, or LinkInvalid with a reason a person can read.

    Records the visit (time, count) but never touches the target object. With a
    ``client_key``, a token unknown for every purpose counts as a failure for
    that client (see FAILURES_PER_MINUTE); successes and known but expired or
    revoked links never count.
    """
    known = (
        AccessLink.objects.select_related("target_type")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if known is None and client_key:
        link_guess_record(client_key=client_key, token=token)
    link = known if known is not None and known.purpose == purpose else None
    if link is None:
        raise LinkInvalid("This link is not valid. Check that you used the whole link.")
    if link.revoked_at is not None:
        raise LinkInvalid("This link is no longer active.", link=link)
    if link.expires_at <= timezone.now():
        raise LinkInvalid("This link has expired.", link=link)
    AccessLink.objects.filter(pk=link.pk).update(
        last_used_at=timezone.now(), use_count=link.use_count + 1
    )
    return link


def access_link_revoke(*, link: AccessLink, reason: str = "Revoked by staff.") -> None:
    AccessLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:200]
    )


def access_links_revoke_for(*, target, purpose: str | None = None, reason: str) -> int:
    """Revoke every live link of ``target`` (optionally of one purpose)."""
    qs = AccessLink.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        revoked_at__isnull=True,
    )
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.update(revoked_at=timezone.now(), revoked_reason=reason[:200])


def access_links_for(*, target):
    return AccessLink.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )


def client_key_for(request) -> str:
    """Rate-limit key for a request: the client address, through trusted proxies only."""
    return client_ip(request)


# A URL whose path holds a token-looking segment (ours are 43 URL-safe characters).
_URL_RE = re.compile(r"https?://[^\s\"'<>]+")
_SEGMENT_RE = re.compile(r"(?<=/)[A-Za-z0-9_\-]{20,}(?=/|$|\?)")


def links_redacted(text: str) -> str:
    """``text`` with every personal link replaced by what it is, never the link itself.

    "[personal link to refresh wizard, expires Dec 30, 2026]" for a link we
    issued (one query for all of them), whether the email holds it sealed (a
    ``ref``) or raw (emails logged before sealing); "[personal link]" for any
    other token-looking URL. For staff reading the Outbox and the admin.
    """
    urls = {
        url: [link_ref_token(s) or "" for s in LINK_REF_RE.findall(url)] or _SEGMENT_RE.findall(url)
        for url in set(_URL_RE.findall(text or ""))
    }
    urls = {url: segments for url, segments in urls.items() if segments}
    if not urls:
        return text
    hashes = {hash_token(s): url for url, segments in urls.items() for s in segments}
    known = {
        hashes[link.token_hash]: link
        for link in AccessLink.objects.filter(token_hash__in=list(hashes))
    }
    for url in sorted(urls, key=len, reverse=True):
        link = known.get(url)
        if link is None:
            label = "[personal link]"
        else:
            expires = timezone.localtime(link.expires_at)
            label = (
                f"[personal link to {link.purpose.replace('_', ' ')}, "
                f"expires {expires:%b} {expires.day}, {expires.year}]"
            )
        text = text.replace(url, label)
    return text
