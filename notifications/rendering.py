"""Personal links rendered into an email only when it is sent (issue 14 item 5).

A stored email holds each personal link with its token sealed (``~link.…~``,
see ``notifications.links.link_ref``): staff reading the Outbox or the admin,
and anyone reading the table, see no live link. The sender opens the seals in
memory just before handing the message to the mail backend.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .links import LINK_REF_RE, link_ref_token
from .models import OutboundEmail


class LinkRefUnreadable(ImproperlyConfigured):
    """A sealed link cannot be opened with the configured FERNET_KEYS."""


def links_rendered(text: str) -> str:
    """``text`` with every sealed link token opened (what the recipient gets)."""

    def _open(match) -> str:
        token = link_ref_token(match.group(1))
        if token is None:
            raise LinkRefUnreadable(
                "A personal link in this email cannot be opened with FERNET_KEYS "
                "(a key it was sealed with was removed)."
            )
        return token

    return LINK_REF_RE.sub(_open, text or "")


def email_bodies_for_sending(email: OutboundEmail) -> tuple[str, str]:
    """(text, html) of a logged email with its personal links rendered."""
    return links_rendered(email.body_text), links_rendered(email.body_html)
