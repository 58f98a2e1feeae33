"""Email composition and sending, logged in the outbound log.

``email_queue`` renders and logs an email under an idempotency key and hands it
to the worker after commit; ``email_deliver`` sends one logged email through
Django's mail backend (django-anymail in production).
"""

import base64
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from common.effects import task_by_name

from .choices import EmailStatus
from .models import OutboundEmail
from .rendering import email_bodies_for_sending
from .selectors import outbox_counts_changed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email; binary files are stored base64 (``encoding="base64"``)."""

    filename: str
    content: str
    mimetype: str = "text/plain"
    encoding: str = ""

    @classmethod
    def from_bytes(cls, *, filename: str, data: bytes, mimetype: str) -> "Attachment":
        import base64

        return cls(filename, base64.b64encode(data).decode("ascii"), mimetype, "base64")


def render_email(*, template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from ``notifications/email/<template>.{subject.txt,txt,html}``."""
    ctx = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    base = f"notifications/email/{template}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", ctx, using="text").split())
    text = render_to_string(f"{base}.txt", ctx, using="text").strip() + "\n"
    html = render_to_string(f"{base}.html", ctx)
    return subject, text, html


def email_queue(
    *,
    key: str,
    template: str,
    to: Iterable[str],
    context: dict,
    related=None,
    cc: Iterable[str] = (),
    reply_to: Iterable[str] = (),
    attachments: Iterable[Attachment] = (),
) -> OutboundEmail | None:
    """Log an email under ``key`` and send it after commit.

    Returns the new log row, or None when an email with this key was already
    logged (a retried job, a second worker): nothing is sent twice.
    """
    recipients = sorted({address.strip().lower() for address in to if address and address.strip()})
    if not recipients:
        logger.info("email %s skipped: no recipients", key)
        return None
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    subject, text, html = render_email(template=template, context=context)
    related_type = ContentType.objects.get_for_model(related) if related is not None else None
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                key=key,
                template=template,
                to=recipients,
                cc=sorted(set(cc) - set(recipients)),
                reply_to=list(reply_to),
                subject=subject[:300],
                body_text=text,
                body_html=html,
                attachments=[a.__dict__ for a in attachments],
                related_type=related_type,
                related_id=str(related.pk) if related is not None else "",
            )
    except IntegrityError:
        return None

    outbox_changed()
    # robust: a broker hiccup must not fail the request; the sweep resends.
    transaction.on_commit(lambda: _deliver_later(email.pk), robust=True)
    return email


DELIVER_TASK = "notifications.tasks.deliver_email_task"


def outbox_changed() -> None:
    """The outbox's counts moved (an email logged, sent, failed): forget them now
    and again after commit (a reader in between would cache the old numbers)."""
    outbox_counts_changed()
    transaction.on_commit(outbox_counts_changed)


def _deliver_later(email_id: int) -> None:
    """Hand one logged email to the worker (the task is named, never imported)."""
    task_by_name(DELIVER_TASK).delay(email_id=email_id)


def retry_pause(attempts: int) -> int:
    """Seconds before an email whose send failed is tried again: 1, 2, 4 ... 30 minutes."""
    return min(60 * 2 ** max(attempts - 1, 0), 1800)


# A worker hands one email to the backend within this long (the SMTP/HTTP
# timeouts are shorter); after it, a crashed worker's email may be sent again.
SEND_LEASE = timezone.timedelta(seconds=240)


def _email_claim(email_id: int) -> OutboundEmail | None:
    """Mark the email "sending" with a lease (committed before the backend is called).

    None when it is sent or another live worker is sending it (a failed email
    is sent again: staff resend it). An
    abandoned "sending" email (lease over) with a provider id did go out: it is
    recorded as sent, never resent; without one it is sent again.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = OutboundEmail.objects.select_for_update(skip_locked=True)
        email = locked.filter(pk=email_id).first()
        if email is None or email.status == EmailStatus.SENT:
            return None
        if email.status == EmailStatus.SENDING:
            if email.lease_until and email.lease_until > now:
                return None
            if email.provider_message_id:
                email.status, email.sent_at, email.lease_until = EmailStatus.SENT, now, None
                email.save(update_fields=["status", "sent_at", "lease_until"])
                return None
        email.status = EmailStatus.SENDING
        email.lease_until = now + SEND_LEASE
        email.attempts += 1
        email.save(update_fields=["status", "lease_until", "attempts"])
        outbox_changed()
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one logged email if it has not been sent; True when it went out now.

    The email is first marked "sending" with a lease and committed, then handed
    to the backend outside any transaction, then recorded as sent with the
    provider's message id (anymail's ``anymail_status.message_id``; none for the
    console/locmem backends). A backend error puts it back to "queued" with the
    error and is re-raised for the task to retry.

    At-least-once window: a worker killed after the provider accepted the
    message and before the "sent" row committed leaves it "sending" without a
    provider id; when its lease ends the sweep sends it again (the one case of
    a duplicate, as narrow as the backend call's return). A second worker never
    sends it while the lease is live.
    """
    email = _email_claim(email_id)
    if email is None:
        return False
    # Personal links are stored sealed and rendered only here (issue 14 item 5).
    body_text, body_html = email_bodies_for_sending(email)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
    )
    if body_html:
        message.attach_alternative(body_html, "text/html")
    for attachment in email.attachments:
        content = attachment["content"]
        if attachment.get("encoding") == "base64":
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    claimed = OutboundEmail.objects.filter(
        pk=email.pk, status=EmailStatus.SENDING, attempts=email.attempts
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        # Back to queued; the sweep leaves it alone until its retry is due
        # (the task retries it after the same pause).
        claimed.update(
            status=EmailStatus.QUEUED,
            lease_until=timezone.now() + timezone.timedelta(seconds=retry_pause(email.attempts)),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        outbox_changed()
        raise
    status = getattr(message, "anymail_status", None)
    claimed.update(
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        lease_until=None,
        last_error="",
        provider_message_id=(getattr(status, "message_id", None) or "")[:255],
    )
    outbox_changed()
    return True


def email_mark_failed(*, email_id: int, error: str) -> None:
    OutboundEmail.objects.filter(pk=email_id).exclude(status=EmailStatus.SENT).update(
        status=EmailStatus.FAILED, last_error=error[:2000]
    )
    outbox_changed()


def emails_deliver_pending(*, older_than_seconds: int = 120, limit: int = 500) -> int:
    """Sweep (every minute): hand back to the worker queued emails it never picked
    up (a lost message) or whose retry is due, and "sending" ones whose worker died."""
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=older_than_seconds)
    due = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    abandoned = Q(status=EmailStatus.SENDING, lease_until__lt=now)
    ids = list(
        OutboundEmail.objects.filter(
            (Q(status=EmailStatus.QUEUED, created_at__lt=cutoff) & due) | abandoned
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for email_id in ids:
        _deliver_later(email_id)
    return len(ids)
