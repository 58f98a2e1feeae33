"""An order, its state machine (DESIGN.md §4), its actions and its audit trail.

Transition methods change fields only (no I/O); ``orders.services`` drives them:
lock, transition, save with ``update_fields``, audit row, effects after commit.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from common.models import AuditBase
from orders.choices import (
    HOLDABLE_ORDER_STATUSES,
    OPEN_ORDER_STATUSES,
    ActionKind,
    ActionStatus,
    AutomationKey,
    OrderPriority,
    OrderStatus,
    OrderType,
)

from .catalog import InstallableSoftware, OrderActionTemplate, OrderQueue
from .validators import (
    username_validator,
    workstation_validator,
)

S = OrderStatus


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
    # Request types (issue 13): the staff-defined type and the answers to its
    # custom fields, by field key (GIN-indexed on PostgreSQL, migration 0004).
    request_type = models.ForeignKey(
        "orders.RequestType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    custom_values = models.JSONField(default=dict, blank=True)

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
            (
                "edit_order_information",
                "Can edit an order's type-specific information after submission",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="orders_order_status_idx"),
            models.Index(fields=["queue", "status"], name="orders_order_queue_idx"),
            models.Index(fields=["organization", "status"], name="orders_order_org_idx"),
            # The staff lists' sort, alone and under each filter (status tab, queue,
            # "mine"): page 1 and the page keys are an index range scan (issue #17).
            models.Index(fields=["-created_at", "-id"], name="orders_order_created_idx"),
            models.Index(
                fields=["status", "-created_at", "-id"], name="orders_order_status_sort_idx"
            ),
            models.Index(
                fields=["queue", "-created_at", "-id"], name="orders_order_queue_sort_idx"
            ),
            models.Index(
                fields=["owner", "-created_at", "-id"], name="orders_order_owner_sort_idx"
            ),
            # The coordinator portal's list (organization_id IN (...), newest first,
            # alone and under a status tab): an index range scan per page (issue #17).
            models.Index(
                fields=["organization", "-created_at", "-id"], name="orders_order_org_sort_idx"
            ),
            models.Index(
                fields=["organization", "status", "-created_at", "-id"],
                name="orders_order_org_st_sort_idx",
            ),
            # The API's cursor (newest id first) under its filters: an index range scan
            # at any depth however the statuses are spread (docs/performance-api.md).
            models.Index(fields=["status", "-id"], name="orders_order_api_status_idx"),
            models.Index(fields=["queue", "-id"], name="orders_order_api_queue_idx"),
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
    waiting_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When this step began waiting: the previous step's processing, or the "
        "order's submission for the first. Set when the step is finished; the order desk "
        "dashboard's step times run from it to processed_at.",
    )
    # Seconds, a float: PostgreSQL sorts it by value for the percentiles.
    duration_seconds = models.FloatField(
        null=True,
        blank=True,
        help_text="How long (seconds) this step took: from waiting_since to processed_at. Set "
        "when the step is done (empty for skipped and unfinished steps).",
    )
    done_queue = models.ForeignKey(
        OrderQueue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # orders_action_duration_idx leads with it (and a queue with orders is protected).
        db_index=False,
        help_text="The order's queue when this step was done: the order desk dashboard's "
        "time per step groups by it without reading the orders.",
    )
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last started this automated action."
    )
    lease_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A running automated action belongs to its worker until then; the "
        "worker renews it while the directory call runs (a heartbeat).",
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="What the adapter returned.")
    # Planned work (issue 13): staff add actions to a request, each with an owner and a date.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_order_actions",
    )
    planned_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "position"], name="orders_action_position_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="orders_action_status_idx"),
            # The dashboard's time per step: an index-only scan, already grouped.
            models.Index(
                fields=["done_queue", "position", "name", "duration_seconds"],
                condition=models.Q(duration_seconds__isnull=False),
                name="orders_action_duration_idx",
            ),
        ]

    def __str__(self):
        return f"{self.order}: {self.position}. {self.name}"

    @property
    def is_automated(self) -> bool:
        return self.kind == ActionKind.AUTOMATED


class OrderAudit(AuditBase):
    """One row per transition, per edit (``changes``) and per notable act
    (action processed, secret revealed)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="audits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="order_audits",
    )
    from_status = models.CharField(max_length=40, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=40, choices=OrderStatus.choices)

    subject_field = "order"

    class Meta(AuditBase.Meta):
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="orders_audit_order_idx")]
