"""Staff resend a personal link: the same email again, with a NEW link (issue 14 item 5).

Staff never read a live personal link (the Outbox shows what it is, not the
link); when its owner lost it or it expired, "Resend link" issues a new one
for the same object and purpose (the old one stops working), copies the email
with the new link sealed in place of the old and sends it to the same
recipients. Refused, with the reason, when the link was used or its object
closed it (the owning app revoked it with a reason, or says so through
``link_purpose_register``), and past a rate limit; every resend is audited.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

from .links import LINK_REF_RE, access_link_issue, hash_token, link_ref_token
from .models import AccessLink, AccessLinkAudit, OutboundEmail
from .services import _deliver_later, outbox_changed

# Revocation reason access_link_issue gives the links a newer one replaces:
# such a link may be resent (the newest link is revoked in turn).
SUPERSEDED_REASON = "A newer link was sent."

# Resends per link object and purpose, and per staff member, per window.
RESENDS_PER_LINK = 3
RESENDS_PER_ACTOR = 20
WINDOW_SECONDS = 3600

# purpose -> function(target) returning why the purpose is closed ("" when open).
_CLOSED_REASONS: dict[str, Callable[[object], str]] = {}


class LinkResendRefused(Exception):
    """The link cannot be resent; ``reason`` is shown to the staff member."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_purpose_register(purpose: str, *, closed_reason: Callable[[object], str]) -> None:
    """Let the app owning ``purpose`` say when its object no longer takes that link
    (called from the app's ``AppConfig.ready``)."""
    _CLOSED_REASONS[purpose] = closed_reason


def email_access_links(*, email: OutboundEmail) -> list[AccessLink]:
    """The personal links an email carries (sealed), oldest first."""
    hashes = {
        hash_token(token)
        for sealed in LINK_REF_RE.findall(f"{email.body_text}\n{email.body_html}")
        if (token := link_ref_token(sealed))
    }
    if not hashes:
        return []
    return list(
        AccessLink.objects.select_related("target_type")
        .prefetch_related("audits__actor")
        .filter(token_hash__in=hashes)
        .order_by("pk")
    )


def _refusal(link: AccessLink) -> str:
    what = link.purpose.replace("_", " ")
    if link.revoked_at is not None and link.revoked_reason != SUPERSEDED_REASON:
        return f"The link to {what} was closed: {link.revoked_reason or 'revoked.'}"
    target = link.target
    if target is None:
        return f"What the link to {what} was for no longer exists."
    closed = _CLOSED_REASONS.get(link.purpose)
    reason = closed(target) if closed else ""
    return f"The link to {what} is closed: {reason}" if reason else ""


def _rate_limit(keys: list[tuple[str, int]]) -> None:
    window = int(time.time()) // WINDOW_SECONDS
    wait_minutes = max(1, -(-((window + 1) * WINDOW_SECONDS - int(time.time())) // 60))
    counted = []
    for key, limit in keys:
        full = f"link-resend:{key}:{window}"
        if (cache.get(full) or 0) >= limit:
            raise LinkResendRefused(f"Too many resends: wait {wait_minutes} minutes and try again.")
        counted.append(full)
    for full in counted:
        if not cache.add(full, 1, timeout=WINDOW_SECONDS):
            cache.incr(full)


def _copy_key(email: OutboundEmail, link: AccessLink) -> str:
    suffix = f":resend:{link.pk}"
    return f"{email.key[: 255 - len(suffix)]}{suffix}"


def access_link_resend(*, email: OutboundEmail, actor) -> OutboundEmail:
    """Send ``email`` again with a new link in place of each link it carries.

    The old links are revoked ("A newer link was sent."), one audit row per
    link names the actor, the old and new link and the new email, which is
    sent after commit to the same recipients. LinkResendRefused with a reason
    when there is no link, a link was used or closed, or past the rate limit.
    """
    links = email_access_links(email=email)
    if not links:
        raise LinkResendRefused("This email carries no personal link to resend.")
    for link in links:
        if reason := _refusal(link):
            raise LinkResendRefused(reason)
    _rate_limit(
        [
            (f"link:{link.target_type_id}:{link.target_id}:{link.purpose}", RESENDS_PER_LINK)
            for link in links
        ]
        + [(f"actor:{actor.pk}", RESENDS_PER_ACTOR)]
    )
    with transaction.atomic():
        text, html = email.body_text, email.body_html
        replaced = []
        for link in links:
            issued = access_link_issue(target=link.target, purpose=link.purpose, email=link.email)
            for sealed in set(LINK_REF_RE.findall(f"{text}\n{html}")):
                token = link_ref_token(sealed)
                if token and hash_token(token) == link.token_hash:
                    text = text.replace(f"~link.{sealed}~", issued.ref)
                    html = html.replace(f"~link.{sealed}~", issued.ref)
            replaced.append((link, issued.link))
        copy = OutboundEmail.objects.create(
            key=_copy_key(email, replaced[-1][1]),
            template=email.template,
            to=email.to,
            cc=email.cc,
            reply_to=email.reply_to,
            subject=email.subject,
            body_text=text,
            body_html=html,
            attachments=email.attachments,
            related_type_id=email.related_type_id,
            related_id=email.related_id,
        )
        for old, new in replaced:
            AccessLinkAudit.objects.create(
                link=old,
                actor=actor,
                transition="resend",
                to_status="resent",
                note=(
                    f"New link to {old.purpose.replace('_', ' ')} sent to "
                    f"{', '.join(email.to)}; this link no longer works."
                ),
                changes={
                    "link": [str(old.pk), str(new.pk)],
                    "email": [str(email.pk), str(copy.pk)],
                },
            )
    outbox_changed()
    transaction.on_commit(lambda: _deliver_later(copy.pk), robust=True)
    return copy
