"""The curated catalog: hardware models, peripherals and bundles, software titles."""

from django.db import models

from refresh.choices import Platform


class HardwareModel(models.Model):
    """A computer model IT buys, approved for some customer organizations."""

    manufacturer = models.CharField(max_length=120)
    name = models.CharField(max_length=160)
    platform = models.CharField(max_length=10, choices=Platform.choices)
    description = models.TextField(blank=True, help_text="Shown to customers in the wizard.")
    approved_for = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="approved_hardware_models",
        help_text="Organizations allowed to receive this model. Empty: none.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["manufacturer", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "name"], name="refresh_hardwaremodel_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.manufacturer} {self.name}"


class Peripheral(models.Model):
    """A monitor, dock, keyboard… that can go with a replacement."""

    name = models.CharField(max_length=160, unique=True)
    manufacturer = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=60, blank=True, help_text="For example: monitor, dock.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PeripheralBundle(models.Model):
    """The peripherals a config gives every customer unless they may edit them."""

    name = models.CharField(max_length=160, unique=True)
    peripherals = models.ManyToManyField(Peripheral, blank=True, related_name="bundles")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SoftwareTitle(models.Model):
    """A title of the curated software catalog customers may request."""

    name = models.CharField(max_length=160)
    vendor = models.CharField(max_length=120, blank=True)
    platform = models.CharField(
        max_length=10,
        choices=Platform.choices,
        blank=True,
        help_text="Leave empty for titles available on every platform.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "platform"], name="refresh_softwaretitle_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_platform_display()})" if self.platform else self.name
