"""Refresh configs (campaign settings) and batches of serial numbers."""

from django.conf import settings
from django.db import models

from refresh.choices import BatchRowOutcome, RefreshStyle


class RefreshConfig(models.Model):
    """How one organization's refresh works: style, approval, catalog and options."""

    name = models.CharField(max_length=160, unique=True)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="refresh_configs"
    )
    style = models.CharField(
        "default style",
        max_length=30,
        choices=RefreshStyle.choices,
        default=RefreshStyle.ON_PREM,
        help_text="New tickets take this style unless their creator picks another.",
    )
    requires_approval = models.BooleanField(
        default=False, help_text="Submitted wizards wait for one of the approvers."
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="refresh_configs_to_approve"
    )
    approved_models = models.ManyToManyField(
        "refresh.HardwareModel", blank=True, related_name="refresh_configs"
    )
    peripheral_bundle = models.ForeignKey(
        "refresh.PeripheralBundle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_configs",
    )
    approved_peripherals = models.ManyToManyField(
        "refresh.Peripheral",
        blank=True,
        related_name="refresh_configs",
        help_text="Peripherals customers may add when they may customize peripherals.",
    )
    software_catalog = models.ManyToManyField(
        "refresh.SoftwareTitle", blank=True, related_name="refresh_configs"
    )
    can_customize_computer = models.BooleanField(
        default=False, help_text="Customers may pick another approved model."
    )
    can_customize_platform = models.BooleanField(
        default=False, help_text="Customers may pick a model of the other platform."
    )
    can_request_different_device = models.BooleanField(
        default=False, help_text="Customers may say no approved model fits, with a reason."
    )
    can_customize_peripherals = models.BooleanField(
        default=False, help_text="Customers may edit the peripheral bundle."
    )
    can_customize_software = models.BooleanField(
        default=False, help_text="Customers may request software from the catalog."
    )
    unit_specified_location = models.TextField(
        blank=True,
        help_text="For user-specified-location tickets: where the unit delivers (informative).",
    )
    customer_message = models.TextField(
        blank=True, help_text="Shown to customers at the start of the wizard."
    )
    support_team = models.ForeignKey(
        "accounts.SupportTeam",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_configs",
        help_text="Default team for new tickets.",
    )
    replacement_group = models.CharField(
        "group",
        max_length=120,
        blank=True,
        help_text="The group each replacement is placed in when assigned (sent to the ITSM); "
        "a ticket may override it.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RefreshBatch(models.Model):
    """Serial numbers pasted or uploaded by an administrator to open tickets in bulk."""

    name = models.CharField(max_length=160)
    config = models.ForeignKey(RefreshConfig, on_delete=models.PROTECT, related_name="batches")
    style = models.CharField(
        max_length=30,
        choices=RefreshStyle.choices,
        blank=True,
        help_text="Leave empty to use the config's default style.",
    )
    support_team = models.ForeignKey(
        "accounts.SupportTeam",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_batches",
        help_text="Leave empty to use the config's default team.",
    )
    serials_text = models.TextField(
        "serial numbers", blank=True, help_text="One per line (commas and spaces also separate)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_batches",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    tickets_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "refresh batches"

    def __str__(self):
        return self.name


class RefreshBatchRow(models.Model):
    """One serial of a batch and what happened to it (the per-row report)."""

    batch = models.ForeignKey(RefreshBatch, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    serial_number = models.CharField(max_length=80)
    outcome = models.CharField(max_length=20, choices=BatchRowOutcome.choices)
    message = models.CharField(max_length=300, blank=True)
    system = models.ForeignKey(
        "refresh.System", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "refresh.RefreshTicket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="refresh_batchrow_unique_position"
            )
        ]

    def __str__(self):
        return f"{self.serial_number}: {self.get_outcome_display()}"
