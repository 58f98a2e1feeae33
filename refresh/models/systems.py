"""Devices (systems) as the ITSM asset list knows them."""

from django.conf import settings
from django.db import models

from refresh.choices import Platform, SystemStatus


class System(models.Model):
    """A computer with a unique serial number: in use, in stock or retired."""

    serial_number = models.CharField(max_length=80, unique=True)
    name = models.CharField("hostname", max_length=120, blank=True)
    hardware_model = models.ForeignKey(
        "refresh.HardwareModel", on_delete=models.PROTECT, related_name="systems"
    )
    platform = models.CharField(max_length=10, choices=Platform.choices)
    status = models.CharField(
        max_length=10, choices=SystemStatus.choices, default=SystemStatus.IN_USE
    )
    current_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="systems",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="systems",
    )
    building = models.CharField(max_length=160, blank=True)
    room = models.CharField(max_length=60, blank=True)
    street = models.CharField(max_length=200, blank=True)
    street2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=60, blank=True)
    zip_code = models.CharField("ZIP code", max_length=20, blank=True)
    itsm_asset_id = models.CharField("ITSM asset id", max_length=60, blank=True)
    # Lifecycle (end-of-life forecasting, asset inventory pushes through the API).
    purchase_date = models.DateField(null=True, blank=True)
    warranty_end = models.DateField("warranty end", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["serial_number"]
        indexes = [
            models.Index(fields=["status", "platform"], name="refresh_system_stock_idx"),
            # The API's cursor (newest id first) under its status filter.
            models.Index(fields=["status", "-id"], name="refresh_system_api_status_idx"),
        ]

    def __str__(self):
        return f"{self.serial_number} ({self.name})" if self.name else self.serial_number

    def save(self, *args, **kwargs):
        self.serial_number = (self.serial_number or "").strip().upper()
        super().save(*args, **kwargs)

    @property
    def location_display(self) -> str:
        return ", ".join(part for part in (self.building, self.room) if part)
