"""Email composition and sending, logged in the outbound log.

``email_queue`` renders and logs an email under an idempotency key and hands it
to the worker after commit; ``email_deliver`` sends one logged email through
Django's mail backend (django-anymail in production).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common.effects import task_by_name

from .choices import EmailStatus
from .models import OutboundEmail
from .rendering import email_bodies_for_sending

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str = "text/plain"


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

    # robust: a broker hiccup must not fail the request; the sweep resends.
    transaction.on_commit(lambda: _deliver_later(email.pk), robust=True)
    return email


DELIVER_TASK = "notifications.tasks.deliver_email_task"


def _deliver_later(email_id: int) -> None:
    """Hand one logged email to the worker (the task is named, never imported)."""
    task_by_name(DELIVER_TASK).delay(email_id=email_id)


def email_deliver(*, email_id: int) -> bool:
    """Send one logged email if it has not been sent; True when it went out now.

    The row is locked while sending so two workers never both send it. A
    backend error is recorded and re-raised for the task to retry.
    """
    failure = None
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == EmailStatus.SENT:
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
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        email.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            # Recorded in this transaction (which commits); re-raised below so
            # the task retries.
            failure = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.save(update_fields=["attempts", "last_error"])
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    if failure is not None:
        raise failure
    return True


def email_mark_failed(*, email_id: int, error: str) -> None:
    OutboundEmail.objects.filter(pk=email_id).exclude(status=EmailStatus.SENT).update(
        status=EmailStatus.FAILED, last_error=error[:2000]
    )


def emails_deliver_pending(*, older_than_seconds: int = 120, limit: int = 500) -> int:
    """Sweep: hand queued emails the worker never picked up back to it."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundEmail.objects.filter(status=EmailStatus.QUEUED, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for email_id in ids:
        _deliver_later(email_id)
    return len(ids)
