"""What orders are made of: software titles, queues and their action templates,
the order number counter."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.choices import (
    ActionKind,
    AutomationKey,
    OrderType,
)

from .validators import (
    FIRST_ORDER_NUMBER,
)


class InstallableSoftware(models.Model):
    """A software title coordinators may request in an install_software order."""

    name = models.CharField(max_length=200, unique=True)
    vendor = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Inactive titles cannot be requested.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "installable software"

    def __str__(self):
        return self.name


class OrderQueue(models.Model):
    """An ordered list of action templates processing one or more order types.

    A queue takes its main ``order_type`` and any of ``also_takes``; each type
    has at most one active queue at a time (the unique constraint covers the
    main type; ``orders.services.order_queue_save`` checks every type under a
    lock). New orders go to the active queue taking their type; owners are
    assigned from the default owner or round-robin among the team.
    """

    name = models.CharField(max_length=120, unique=True)
    order_type = models.CharField(
        "main order type", max_length=40, choices=OrderType.choices, db_index=True
    )
    also_takes = models.JSONField(
        "also takes",
        default=list,
        blank=True,
        help_text="Other order types this queue processes (one queue may serve several types).",
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_owner_of_order_queues",
        help_text="Every new order goes to this person; leave empty to round-robin the team.",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="order_queues",
        help_text="Technicians who receive new orders in turn.",
    )
    round_robin_last = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The team member who received the last order (round-robin pointer).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["order_type"],
                # Request queues (staff-defined request types) may be many.
                condition=Q(active=True) & ~Q(order_type=OrderType.REQUEST),
                name="orders_queue_one_active_per_type",
                violation_error_message="Another active queue already processes this order type.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def order_types(self) -> list[str]:
        """Every order type this queue takes, the main one first."""
        return [self.order_type, *(t for t in self.also_takes if t != self.order_type)]

    def order_types_display(self) -> str:
        labels = dict(OrderType.choices)
        return ", ".join(str(labels.get(t, t)) for t in self.order_types)

    order_types_display.short_description = "order types"

    def clean(self):
        unknown = [t for t in self.also_takes or [] if t not in OrderType.values]
        if unknown:
            raise ValidationError({"also_takes": f"Unknown order type: {', '.join(unknown)}."})


class OrderActionTemplate(models.Model):
    """One step of a queue; copied onto each order at submission."""

    queue = models.ForeignKey(OrderQueue, on_delete=models.CASCADE, related_name="action_templates")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    automation = models.CharField(
        max_length=40,
        choices=AutomationKey.choices,
        blank=True,
        help_text="What an automated action runs; empty for manual actions.",
    )
    instructions = models.TextField(blank=True)

    class Meta:
        ordering = ["queue", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "position"], name="orders_action_template_position_unique"
            ),
            models.CheckConstraint(
                condition=(Q(kind=ActionKind.MANUAL, automation="") | ~Q(kind=ActionKind.MANUAL))
                & (~Q(kind=ActionKind.AUTOMATED) | ~Q(automation="")),
                name="orders_action_template_automation_matches_kind",
                violation_error_message="Automated actions need an automation; manual ones none.",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def clean(self):
        if self.kind == ActionKind.AUTOMATED and not self.automation:
            raise ValidationError({"automation": "Choose what this automated action runs."})
        if self.kind == ActionKind.MANUAL and self.automation:
            raise ValidationError({"automation": "Manual actions do not run an automation."})


class OrderNumberCounter(models.Model):
    """The single row that hands out order numbers (locked while allocating)."""

    last_number = models.PositiveIntegerField(default=FIRST_ORDER_NUMBER - 1)

    def __str__(self):
        return str(self.last_number)
