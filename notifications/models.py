from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from common.models import AuditBase

from .choices import EmailStatus


class OutboundEmail(models.Model):
    """Every email Handover sends, rendered and logged before it goes out.

    ``key`` is the idempotency key: a job that runs twice, or two workers at
    once, try to log the same key and only the first one sends. The related
    object (a refresh ticket, an order) shows the email on its timeline.
    """

    key = models.CharField(max_length=255, unique=True)
    template = models.CharField(max_length=100)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="List of {filename, content, mimetype} (text only)."
    )
    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="While sending: the worker's claim ends then."
    )
    provider_message_id = models.CharField(
        max_length=255, blank=True, help_text="The id the mail provider gave it (anymail)."
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["related_type", "related_id", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            # The outbox page's order, alone and under the status filter (issue 17).
            models.Index(fields=["-created_at", "-id"], name="outbox_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="outbox_status_created_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class AccessLink(models.Model):
    """A personal link emailed to someone who has no password (end users, delegates).

    The raw token (≥128 bits) is only ever in the email; the database keeps its
    SHA-256. A link is tied to one object and one purpose, expires after a number
    of days, and can be revoked. The owning app also refuses a link once its
    object has left the statuses the purpose is for.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    email = models.EmailField(help_text="Who the link was sent to.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id", "purpose"])]
        permissions = [("resend_accesslink", "Can resend a personal link to its owner")]

    def __str__(self):
        return f"{self.purpose} link for {self.email}"

    @property
    def purpose_label(self) -> str:
        """What staff read instead of the link ("refresh wizard" for ``refresh_wizard``)."""
        return self.purpose.replace("_", " ")


class AccessLinkAudit(AuditBase):
    """Staff actions on a personal link: a resend (``transition="resend"``) names
    the link it replaced, the new link and the email that carried it in ``changes``."""

    link = models.ForeignKey(AccessLink, on_delete=models.CASCADE, related_name="audits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_link_audits",
    )

    subject_field = "link"

    class Meta(AuditBase.Meta):
        indexes = [models.Index(fields=["link", "created_at"])]
