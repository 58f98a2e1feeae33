"""Saved views of staff lists, their emailed subscriptions, lifecycle policies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role

from .choices import ExportList, Frequency, LifecycleBasis


class SavedView(models.Model):
    """A staff list's filters saved under a name: private, or shared with a role."""

    name = models.CharField(max_length=120)
    list_name = models.CharField("list", max_length=20, choices=ExportList.choices)
    query = models.CharField(
        max_length=1000, blank=True, help_text="The list's own query string (its filters)."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    shared_with_role = models.CharField(
        max_length=40,
        choices=Role.choices,
        blank=True,
        help_text="Empty: only the owner sees it.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_name", "name"],
                name="reports_savedview_unique_name",
                violation_error_message="You already have a saved view with this name.",
            )
        ]

    def __str__(self):
        return self.name


class ReportSubscription(models.Model):
    """Someone receives a saved view by email, daily or weekly, at a local time."""

    saved_view = models.ForeignKey(
        SavedView, on_delete=models.CASCADE, related_name="subscriptions"
    )
    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    send_time = models.TimeField(help_text="Local time in the business time zone.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["saved_view__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_view", "subscriber"],
                condition=Q(unsubscribed_at__isnull=True),
                name="reports_subscription_one_active",
                violation_error_message="This person already receives this report.",
            )
        ]

    def __str__(self):
        return f"{self.saved_view} → {self.subscriber}"


class LifecyclePolicy(models.Model):
    """When systems of a hardware model (or, failing that, a platform) reach end of life.

    A model's policy wins over its platform's; a system with neither is not forecast.
    """

    hardware_model = models.OneToOneField(
        "refresh.HardwareModel",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lifecycle_policy",
    )
    platform = models.CharField(max_length=10, blank=True, help_text="windows or mac.")
    basis = models.CharField(max_length=10, choices=LifecycleBasis.choices)
    months = models.PositiveSmallIntegerField(
        default=48, help_text="Months after purchase (ignored for 'at warranty end')."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "lifecycle policies"
        permissions = [
            ("view_forecast", "Can view the end-of-life forecast"),
            ("import_systems", "Can import systems with purchase and warranty dates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(hardware_model__isnull=False) & Q(platform=""))
                | (Q(hardware_model__isnull=True) & ~Q(platform="")),
                name="reports_policy_model_xor_platform",
                violation_error_message="A policy is for a hardware model or a platform.",
            ),
            models.UniqueConstraint(
                fields=["platform"],
                condition=~Q(platform=""),
                name="reports_policy_one_per_platform",
                violation_error_message="This platform already has a policy.",
            ),
        ]

    def __str__(self):
        target = self.hardware_model or self.get_platform_display()
        return f"{target}: {self.get_basis_display()} ({self.months} months)"

    def get_platform_display(self) -> str:
        from refresh.choices import Platform

        return dict(Platform.choices).get(self.platform, self.platform)


class MetricSnapshot(models.Model):
    """A number recorded once a day by the reports job (e.g. the Problems count),
    so dashboards can show its history."""

    name = models.CharField(max_length=60)
    date = models.DateField()
    value = models.IntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "date"]
        constraints = [
            models.UniqueConstraint(fields=["name", "date"], name="reports_metric_one_per_day")
        ]

    def __str__(self):
        return f"{self.name} {self.date}: {self.value}"
