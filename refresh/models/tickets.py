"""Refresh tickets and their state machine (DESIGN.md §3).

Transition methods change fields only (no I/O, no queries beyond reading the
config already loaded); ``refresh.services`` drives them: lock, transition,
save with ``update_fields``, audit row, effects after commit.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from refresh.choices import FINAL_STATUSES, HOLDABLE_STATUSES, OPEN_STATUSES, RefreshStyle
from refresh.choices import TicketStatus as S

from .guards import _has_delivery_details, _has_replacement, _is_config_approver, _was_held
from .shipping import Shipment
from .sort_keys import SORT_NAME_LENGTH
from .ticket_meta import TICKET_CONSTRAINTS, TICKET_INDEXES, TICKET_PERMISSIONS


class RefreshTicket(ConcurrentTransitionMixin, Shipment):
    """One system being replaced: from invite to the day-1 delivery and ITSM close."""

    existing_system = models.ForeignKey(
        "refresh.System", on_delete=models.PROTECT, related_name="refresh_tickets"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_tickets",
        help_text="The system's current user when the ticket was created.",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegated_refresh_tickets",
        help_text="Receives every message instead of the user (for VIPs).",
    )
    support_team = models.ForeignKey(
        "accounts.SupportTeam",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_tickets",
    )
    # The staff list's sort keys for the user and team columns (``sort_keys``).
    # NULL (no user, no team) sorts last, as the joined sort did.
    user_sort_name = models.CharField(max_length=SORT_NAME_LENGTH, null=True, editable=False)  # noqa: DJ001
    team_sort_name = models.CharField(max_length=SORT_NAME_LENGTH, null=True, editable=False)  # noqa: DJ001
    config = models.ForeignKey(
        "refresh.RefreshConfig", on_delete=models.PROTECT, related_name="tickets"
    )
    batch = models.ForeignKey(
        "refresh.RefreshBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    style = models.CharField(max_length=30, choices=RefreshStyle.choices)

    # Device choice (wizard).
    proposed_model = models.ForeignKey(
        "refresh.HardwareModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposed_in_tickets",
    )
    chosen_model = models.ForeignKey(
        "refresh.HardwareModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chosen_in_tickets",
    )
    none_fits = models.BooleanField(default=False)
    none_fits_reason = models.TextField(blank=True)
    inadequate_reason = models.TextField(
        blank=True, help_text="Why the proposed device does not suit (different device request)."
    )
    peripherals = models.ManyToManyField("refresh.Peripheral", blank=True, related_name="tickets")
    software_requests = models.ManyToManyField(
        "refresh.SoftwareTitle", blank=True, related_name="tickets"
    )

    # Location (on premises, user-specified).
    location_building = models.CharField("building", max_length=160, blank=True)
    location_room = models.CharField("room", max_length=60, blank=True)
    location_notes = models.TextField("location notes", blank=True)
    location_confirmed_at = models.DateTimeField(null=True, blank=True)

    # Wizard.
    wizard_progress = models.JSONField(
        default=dict, blank=True, help_text="Partial wizard answers kept between visits."
    )
    wizard_submitted_at = models.DateTimeField(null=True, blank=True)

    # Replacement and delivery.
    replacement_system = models.ForeignKey(
        "refresh.System",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacing_tickets",
        help_text=(
            "Editing this on a single ticket only swaps the hardware; the ticket does not "
            "advance. Use the order group page to assign and advance."
        ),
    )
    replacement_group = models.CharField(
        "group",
        max_length=120,
        blank=True,
        help_text="The group the replacement is placed in; blank: the config's group.",
    )
    booking = models.ForeignKey(
        "scheduling.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The booked day-1 slot.",
    )
    delivery_at = models.DateTimeField(
        null=True, blank=True, help_text="Start of the booked day-1 appointment."
    )

    # ITSM.
    itsm_ticket_id = models.CharField("ITSM ticket id", max_length=60, blank=True)
    itsm_ticket_url = models.URLField("ITSM ticket URL", blank=True)
    itsm_lookup_attempts = models.PositiveIntegerField(default=0)
    itsm_lookup_error = models.TextField(blank=True)
    itsm_last_checked_at = models.DateTimeField(null=True, blank=True)

    # State.
    status = FSMField(max_length=40, choices=S.choices, default=S.PENDING_INVITE, protected=True)
    status_before_hold = models.CharField(max_length=40, choices=S.choices, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    # Business-time dates (scheduling.calendar) and when each was acted on.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    invite_at = models.DateTimeField(null=True, blank=True)
    invite_sent_at = models.DateTimeField(null=True, blank=True)
    first_reminder_at = models.DateTimeField(null=True, blank=True)
    first_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    second_reminder_at = models.DateTimeField(null=True, blank=True)
    second_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    slack_notified_at = models.DateTimeField(null=True, blank=True)
    mac_engineering_notified_at = models.DateTimeField(null=True, blank=True)
    prestage_closed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_refresh_tickets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_refresh_tickets",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = TICKET_PERMISSIONS
        indexes = TICKET_INDEXES
        constraints = TICKET_CONSTRAINTS

    def __str__(self):
        return f"{self.number} · {self.existing_system_id and self.existing_system.serial_number}"

    @property
    def number(self) -> str:
        return f"RT-{self.pk:05d}" if self.pk else "RT-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def has_customer(self) -> bool:
        return self.style != RefreshStyle.NO_CUSTOMER

    @property
    def group(self) -> str:
        """The group the replacement is placed in: this ticket's, else the config's."""
        return self.replacement_group or self.config.replacement_group

    @property
    def device_model(self):
        """The model the customer will receive: chosen, else proposed."""
        return self.chosen_model or self.proposed_model

    # --- routing (pure) ---------------------------------------------------------
    def _after_customer_answers(self) -> str:
        if self.config.requires_approval:
            return S.PENDING_APPROVAL
        return self._after_approval()

    def _after_approval(self) -> str:
        # Bump-down tickets already name their (recycled) replacement: no ordering.
        if self.style == RefreshStyle.BUMP_DOWN and self.replacement_system_id:
            return S.PENDING_ITSM_EXISTENCE
        return S.PENDING_ORDERING

    def _after_itsm_found(self) -> str:
        if self.style == RefreshStyle.REMOTE:
            return S.PENDING_DELIVERY
        if self.style == RefreshStyle.NO_CUSTOMER:
            return S.DELIVERY_SCHEDULED
        # on_prem, user_specified_location and bump_down deliver on site.
        return S.PENDING_SLOT_DISCOVERY

    # --- transitions --------------------------------------------------------------
    @transition(field=status, source=S.PENDING_INVITE, target=S.PENDING_CUSTOMER)
    def send_invite(self):
        self.invite_sent_at = timezone.now()

    @transition(
        field=status,
        source=S.PENDING_CUSTOMER,
        target=RETURN_VALUE(S.PENDING_APPROVAL, S.PENDING_ORDERING, S.PENDING_ITSM_EXISTENCE),
        conditions=[_has_delivery_details],
    )
    def submit_wizard(self):
        self.wizard_submitted_at = timezone.now()
        return self._after_customer_answers()

    @transition(field=status, source=S.PENDING_CUSTOMER, target=S.PENDING_LOCATION_INFO)
    def expire_wizard(self):
        """The wizard deadline passed: staff fills the location form."""

    @transition(
        field=status,
        source=S.PENDING_LOCATION_INFO,
        target=RETURN_VALUE(S.PENDING_APPROVAL, S.PENDING_ORDERING, S.PENDING_ITSM_EXISTENCE),
        conditions=[_has_delivery_details],
        permission="refresh.fill_location_refreshticket",
    )
    def submit_location_info(self):
        self.location_confirmed_at = timezone.now()
        return self._after_customer_answers()

    @transition(
        field=status,
        source=S.PENDING_APPROVAL,
        target=RETURN_VALUE(S.PENDING_ORDERING, S.PENDING_ITSM_EXISTENCE),
        permission=_is_config_approver,
    )
    def approve(self, by=None):
        self.approved_at = timezone.now()
        self.approved_by = by
        return self._after_approval()

    @transition(
        field=status,
        source=S.PENDING_APPROVAL,
        target=S.PENDING_CUSTOMER,
        permission=_is_config_approver,
    )
    def return_to_customer(self):
        """The approver sends the wizard back with a comment."""
        self.wizard_submitted_at = None

    @transition(
        field=status,
        source=S.PENDING_ORDERING,
        target=S.PENDING_ITSM_EXISTENCE,
        conditions=[_has_replacement],
        permission="refresh.assign_replacement_refreshticket",
    )
    def advance_with_replacement(self):
        """An order group assigned the replacement: wait for the ITSM to know it."""
        self.itsm_lookup_attempts = 0
        self.itsm_lookup_error = ""

    @transition(
        field=status,
        source=S.PENDING_ITSM_EXISTENCE,
        target=RETURN_VALUE(S.PENDING_SLOT_DISCOVERY, S.PENDING_DELIVERY, S.DELIVERY_SCHEDULED),
        conditions=[_has_replacement],
    )
    def itsm_found(self):
        self.itsm_last_checked_at = timezone.now()
        self.itsm_lookup_error = ""
        return self._after_itsm_found()

    @transition(field=status, source=S.PENDING_SLOT_DISCOVERY, target=S.PENDING_CUSTOMER_SCHEDULING)
    def slot_discovered(self):
        """The support team has free capacity: the customer may pick a slot."""

    @transition(
        field=status,
        source=[S.PENDING_CUSTOMER_SCHEDULING, S.DELIVERY_SCHEDULED],
        target=S.DELIVERY_SCHEDULED,
        permission="refresh.reschedule_refreshticket",
    )
    def book_slot(self, starts_at=None):
        """A slot was booked (customer), or staff moved the booking (stays scheduled)."""
        self.delivery_at = starts_at

    @transition(
        field=status,
        source=S.DELIVERY_SCHEDULED,
        target=S.PENDING_CUSTOMER_SCHEDULING,
        permission="refresh.reschedule_refreshticket",
    )
    def request_reschedule(self):
        self.delivery_at = None

    @transition(
        field=status,
        source=[S.DELIVERY_SCHEDULED, S.PENDING_DELIVERY],
        target=S.INSTALLED,
        permission="refresh.progress_refreshticket",
    )
    def mark_installed(self):
        """The ITSM says the replacement is installed."""

    @transition(
        field=status,
        source=S.INSTALLED,
        target=S.COMPLETE,
        permission="refresh.progress_refreshticket",
    )
    def mark_complete(self):
        """The ITSM closed the ticket."""

    @transition(
        field=status,
        source=sorted(HOLDABLE_STATUSES),
        target=S.ON_HOLD,
        permission="refresh.hold_refreshticket",
    )
    def hold(self):
        self.status_before_hold = self.status

    @transition(
        field=status,
        source=S.ON_HOLD,
        target=RETURN_VALUE(*sorted(HOLDABLE_STATUSES)),
        conditions=[_was_held],
        permission="refresh.hold_refreshticket",
    )
    def resume(self):
        previous = self.status_before_hold
        self.status_before_hold = ""
        return previous

    @transition(
        field=status,
        source=sorted(OPEN_STATUSES),
        target=S.CANCELLED,
        permission="refresh.cancel_refreshticket",
    )
    def cancel(self):
        self.status_before_hold = ""
