"""Canned responses: reply and follow-up texts staff pick on an order (managed in the admin)."""

from django.db import models
from django.utils import timezone

from orders.choices import OrderType

# Placeholders a canned response may use, with what each becomes.
PLACEHOLDERS = {
    "customer_name": "the person the order is about (new user, user or end user)",
    "coordinator_name": "the coordinator who started the order",
    "order_number": "the order number, e.g. 77812",
    "order_type": "the order's type, e.g. Install software",
    "organization": "the client organization",
    "status": "the order's status",
    "owner_name": "the order's owner",
    "my_name": "the staff member writing",
}


class CannedResponse(models.Model):
    """A reusable reply text with placeholders such as ``{customer_name}`` and
    ``{order_number}``; staff pick one in the order page's Template picker."""

    name = models.CharField(max_length=100, unique=True, help_text="What staff see in the picker.")
    order_type = models.CharField(
        max_length=40,
        choices=OrderType.choices,
        blank=True,
        help_text="Offer it only on orders of this type (empty: every order).",
    )
    subject = models.CharField(
        max_length=200,
        blank=True,
        help_text='Appended to "[Order 77812] "; placeholders allowed.',
    )
    body = models.TextField(
        help_text="Placeholders: "
        + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        + ". An unknown placeholder stays as written."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
