"""Records that hang off an order: parked workstations, end-user secrets, ITSM tickets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.choices import (
    ITSMTicketStatus,
)

from .order import Order


class WorkstationPlaceholder(models.Model):
    """A parked workstation: ``tmp-<workstation> <order number>``.

    Created by a deactivate_future_replacement order; offered as an "existing
    user" in later orders of the organization until a replacement releases it.
    """

    name = models.CharField(max_length=80, unique=True)
    workstation = models.CharField(max_length=31)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="workstation_placeholders"
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        related_name="placeholders",
        help_text="The order that parked it.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organization", "active"], name="orders_placeholder_org_idx"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def name_for(*, workstation: str, order_number: int) -> str:
        return f"tmp-{workstation} {order_number}"


class EndUserSecret(models.Model):
    """An end user's password, encrypted with MultiFernet; never stored in clear text.

    Revealed once to the assigned technician (audited); purged when the order
    completes or after ``END_USER_SECRET_RETENTION_DAYS``.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="secrets")
    ciphertext = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revealed_enduser_secrets",
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(purged_at__isnull=True),
                name="orders_secret_live_idx",
            ),
        ]

    def __str__(self):
        return f"Secret for {self.order}"

    def __repr__(self):
        return (
            f"<EndUserSecret {self.pk} order={self.order_id} purged={self.purged_at is not None}>"
        )

    @property
    def is_live(self) -> bool:
        return self.purged_at is None and bool(self.ciphertext)


class OrderITSMTicket(models.Model):
    """An ITSM ticket associated with an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="itsm_tickets")
    itsm_id = models.CharField("ITSM id", max_length=60)
    title = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=ITSMTicketStatus.choices, default=ITSMTicketStatus.OPEN
    )
    url = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "itsm_id"], name="orders_itsm_ticket_unique"),
        ]
        verbose_name = "order ITSM ticket"

    def __str__(self):
        return f"{self.itsm_id} ({self.get_status_display()})"
