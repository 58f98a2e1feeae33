"""Order queues and actions, orders and their state machine (DESIGN.md §4).

Transition methods change fields only (no I/O); ``orders.services`` drives them:
lock, transition, save with ``update_fields``, audit row, effects after commit.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from .choices import (
    ATTACHMENT_CONTENT_TYPES,
    ATTACHMENT_MAX_BYTES,
    CLIENT_VISIBLE_MESSAGE_KINDS,
    HOLDABLE_ORDER_STATUSES,
    OPEN_ORDER_STATUSES,
    ActionKind,
    ActionStatus,
    AutomationKey,
    ITSMTicketStatus,
    MessageKind,
    OrderPriority,
    OrderStatus,
    OrderType,
)

S = OrderStatus

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,30}[a-z0-9]$")
username_validator = RegexValidator(
    USERNAME_RE,
    "Use 3 to 32 lowercase letters, digits, dots, hyphens or underscores, "
    "starting with a letter and ending with a letter or digit.",
)
workstation_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,30}$",
    "Use the workstation's name: letters, digits and hyphens (up to 31 characters).",
)

FIRST_ORDER_NUMBER = 77801


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
    """An ordered list of action templates processing one order type.

    New orders go to the active queue of their type; owners are assigned from
    the default owner or round-robin among the team.
    """

    name = models.CharField(max_length=120, unique=True)
    order_type = models.CharField(max_length=40, choices=OrderType.choices, db_index=True)
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
                condition=Q(active=True),
                name="orders_queue_one_active_per_type",
                violation_error_message="Another active queue already processes this order type.",
            ),
        ]

    def __str__(self):
        return self.name


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


def _was_held(instance) -> bool:
    return bool(instance.status_before_hold)


class Order(ConcurrentTransitionMixin, models.Model):
    """A customer's order of IT work, processed by the queue of its type."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    order_type = models.CharField(max_length=40, choices=OrderType.choices)
    queue = models.ForeignKey(
        OrderQueue, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="orders"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_orders",
        help_text="The coordinator (or staff member) who started the order.",
    )
    status = FSMField(max_length=20, choices=S.choices, default=S.DRAFT, protected=True)
    status_before_hold = models.CharField(max_length=20, choices=S.choices, blank=True)
    requested_completion_date = models.DateField(null=True, blank=True)
    planned_completion_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_orders",
    )
    priority = models.CharField(
        max_length=10, choices=OrderPriority.choices, default=OrderPriority.NORMAL
    )

    # The person the order is about (new user, or the new user of a replacement).
    new_full_name = models.CharField("new user's name", max_length=200, blank=True)
    new_username = models.CharField(
        "new user's username", max_length=32, blank=True, validators=[username_validator]
    )
    new_email = models.EmailField("new user's email", blank=True)
    distribution_groups = models.JSONField(default=list, blank=True)
    shared_mailboxes = models.JSONField(default=list, blank=True)
    preferences = models.TextField(
        blank=True, help_text="The new user's preferences (printer, applications, desk)."
    )
    # The existing user (deactivations; the end user of a software install).
    existing_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders_about",
    )
    existing_placeholder = models.ForeignKey(
        "orders.WorkstationPlaceholder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacement_orders",
        help_text="A parked workstation chosen instead of an existing user.",
    )
    existing_username = models.CharField(max_length=64, blank=True)
    workstation = models.CharField(max_length=31, blank=True, validators=[workstation_validator])
    software = models.ManyToManyField(InstallableSoftware, blank=True, related_name="orders")
    notes = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("work_order", "Can work orders: process and skip actions, dates, owner, priority"),
            ("hold_order", "Can put orders on hold and resume them"),
            ("cancel_order", "Can cancel orders"),
            ("reveal_enduser_secret", "Can reveal an end user's password once"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="orders_order_status_idx"),
            models.Index(fields=["queue", "status"], name="orders_order_queue_idx"),
            models.Index(fields=["organization", "status"], name="orders_order_org_idx"),
        ]

    def __str__(self):
        return f"Order {self.number}"

    @property
    def is_final(self) -> bool:
        return self.status not in OPEN_ORDER_STATUSES

    @property
    def subject_name(self) -> str:
        """Whom the order is about, for lists and emails."""
        if self.order_type == OrderType.EMAIL_ONLY:
            return self.new_full_name
        if self.existing_user_id:
            return self.existing_user.display_name
        if self.existing_placeholder_id:
            return self.existing_placeholder.name
        return self.new_full_name

    # --- transitions (no I/O) ----------------------------------------------------
    @transition(field=status, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=status, source=S.SUBMITTED, target=S.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=[S.SUBMITTED, S.IN_PROGRESS], target=S.COMPLETED)
    def complete(self):
        self.completed_at = timezone.now()

    @transition(
        field=status,
        source=sorted(HOLDABLE_ORDER_STATUSES),
        target=S.ON_HOLD,
        permission="orders.hold_order",
    )
    def hold(self):
        self.status_before_hold = self.status

    @transition(
        field=status,
        source=S.ON_HOLD,
        target=RETURN_VALUE(*sorted(HOLDABLE_ORDER_STATUSES)),
        conditions=[_was_held],
        permission="orders.hold_order",
    )
    def resume(self):
        previous = self.status_before_hold
        self.status_before_hold = ""
        return previous

    @transition(field=status, source=sorted(OPEN_ORDER_STATUSES), target=S.CANCELLED)
    def cancel(self):
        self.status_before_hold = ""
        self.cancelled_at = timezone.now()


class OrderAction(models.Model):
    """One step of an order, copied from its queue's template at submission."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="actions")
    template = models.ForeignKey(
        OrderActionTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    automation = models.CharField(max_length=40, choices=AutomationKey.choices, blank=True)
    instructions = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PENDING
    )
    note = models.TextField(blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processed_order_actions",
    )
    processed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last started this automated action."
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="What the adapter returned.")

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "position"], name="orders_action_position_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="orders_action_status_idx")]

    def __str__(self):
        return f"{self.order}: {self.position}. {self.name}"

    @property
    def is_automated(self) -> bool:
        return self.kind == ActionKind.AUTOMATED


class OrderAudit(models.Model):
    """One row per transition and per notable act (action processed, secret revealed)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="audits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_audits",
    )
    actor_job = models.CharField(
        max_length=80, blank=True, help_text="The job or non-user actor (end-user link)."
    )
    transition = models.CharField(max_length=60, blank=True)
    from_status = models.CharField(max_length=20, choices=S.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=S.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="orders_audit_order_idx")]

    def __str__(self):
        return f"{self.order_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def actor_display(self) -> str:
        if self.actor_id:
            return str(self.actor)
        return self.actor_job or "system"


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
