"""Time staff log on a request or one of its actions (OneDesk's time tracking)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .order import Order, OrderAction


class TimeEntry(models.Model):
    """Minutes one person spent on an order (or one of its actions) on one day."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="time_entries")
    action = models.ForeignKey(
        OrderAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="time_entries"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="order_time_entries"
    )
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    worked_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500, blank=True)
    billable = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-worked_on", "-id"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["order", "worked_on"], name="orders_time_order_idx"),
            models.Index(fields=["person", "worked_on"], name="orders_time_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=24 * 60),
                name="orders_time_minutes_range",
            ),
        ]

    def __str__(self):
        return f"{self.minutes} min on {self.order} by {self.person}"
