"""The conversation of an order: messages, their attachments, subscribers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from orders.choices import (
    ATTACHMENT_CONTENT_TYPES,
    ATTACHMENT_MAX_BYTES,
    CLIENT_VISIBLE_MESSAGE_KINDS,
    MessageKind,
)

from .order import Order


class OrderMessage(models.Model):
    """A message of an order's thread: reply, follow-up or comment."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_messages",
    )
    from_client = models.BooleanField(
        default=False, help_text="Written by the client (coordinator) in the portal."
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_order_messages",
        help_text="Who must act on a follow-up.",
    )
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quoted_by"
    )
    # Who staff addressed it to (empty: the people its kind reaches by default).
    subject = models.CharField(max_length=300, blank=True)
    to = models.JSONField(default=list, blank=True)
    cc = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="orders_message_order_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.order}"

    @property
    def client_visible(self) -> bool:
        return self.kind in CLIENT_VISIBLE_MESSAGE_KINDS


def validate_attachment_size(value):
    if value.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            f"Attachments may be at most {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB."
        )


class OrderAttachment(models.Model):
    """A file attached to a message (size and type limited)."""

    message = models.ForeignKey(OrderMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        upload_to="orders/attachments/%Y/%m/", validators=[validate_attachment_size]
    )
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.filename

    def clean(self):
        if self.size and self.size > ATTACHMENT_MAX_BYTES:
            raise ValidationError({"file": "This file is too large."})
        if self.content_type and self.content_type not in ATTACHMENT_CONTENT_TYPES:
            raise ValidationError({"file": "This type of file cannot be attached."})


class OrderSubscription(models.Model):
    """A person who gets a copy of every follow-up, email and comment of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="order_subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="orders_subscription_unique"),
        ]

    def __str__(self):
        return f"{self.user} on {self.order}"
