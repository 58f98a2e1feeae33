import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q


class ClosureDay(models.Model):
    """A date the business calendar treats differently from the holiday package.

    ``open=False`` closes a day that would otherwise be a business day (a season
    day); ``open=True`` opens a day that would otherwise be closed (a holiday the
    teams work). Write them through ``scheduling.services.closure_day_*``: those
    invalidate the cached business calendar.
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120, help_text="For example: Winter season day")
    open = models.BooleanField(
        default=False,
        help_text="Tick to make this date a business day even if it is a holiday or weekend.",
    )

    class Meta:
        ordering = ["date"]

    def __str__(self):
        state = "open" if self.open else "closed"
        return f"{self.date:%Y-%m-%d} {self.name} ({state})"


class ScheduleSlotPreference(models.Model):
    """A weekly pattern a support team offers: every <weekday> at <start time>.

    Slot generation turns active preferences into ``ScheduleSlot`` rows for each
    business day not generated yet; editing a preference changes only days
    generated afterwards.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    team = models.ForeignKey(
        "accounts.SupportTeam", on_delete=models.CASCADE, related_name="slot_preferences"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text="Local time, for example 09:00.")
    duration_minutes = models.PositiveIntegerField(default=60)
    capacity = models.PositiveIntegerField(default=2, help_text="Appointments per slot.")
    location_note = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["team__name", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="scheduling_pref_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="scheduling_pref_capacity_positive"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="scheduling_pref_weekday"),
        ]

    def __str__(self):
        return f"{self.team} · {self.get_weekday_display()} {self.start_time:%H:%M}"


class ScheduleSlot(models.Model):
    """A time a support team can visit, with room for ``capacity`` bookings.

    A deleted slot keeps its row (``deleted_at``) so past bookings keep their
    time. ``booked_count`` counts active bookings; it only changes through the booking
    services' conditional updates, and the database refuses it above capacity.
    Generated slots are unique per team and start, so two generation runs at
    once cannot create the same slot twice.
    """

    team = models.ForeignKey("accounts.SupportTeam", on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=2)
    booked_count = models.PositiveIntegerField(default=0)
    location_note = models.CharField(max_length=200, blank=True)
    opens_closed_day = models.BooleanField(
        default=False,
        help_text=(
            "A one-off slot the slot admin added on a weekend, holiday or closure day on "
            "purpose: the day shows as an opened exception and customers can book it."
        ),
    )
    generic = models.BooleanField(
        default=False,
        help_text=(
            "The team's 12:00 AM slot of a day for deliveries without a customer: it shows "
            "on the calendar and in the ITSM but is never offered to customers, and its "
            "bookings do not use customer capacity (it grows with each booking)."
        ),
    )
    preference = models.ForeignKey(
        ScheduleSlotPreference,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slots",
        help_text="Empty for a one-off slot added by hand.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleted slots are kept (bookings keep pointing at them for history) but
    # are never shown or booked again.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["start", "team__name"]
        indexes = [models.Index(fields=["start", "team"])]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "start"],
                condition=Q(preference__isnull=False),
                name="scheduling_generated_slot_unique",
            ),
            models.UniqueConstraint(
                fields=["team", "start"],
                condition=Q(generic=True),
                name="scheduling_generic_slot_unique",
            ),
            models.CheckConstraint(
                condition=Q(booked_count__lte=F("capacity")),
                name="scheduling_slot_booked_within_capacity",
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="scheduling_slot_order"),
        ]
        permissions = [
            ("view_schedule_calendar", "Can view the staff schedule calendar and feeds"),
            ("manage_schedule_slots", "Can manage schedule slots and slot preferences"),
        ]

    def __str__(self):
        from django.utils import timezone

        return f"{self.team} · {timezone.localtime(self.start):%a %Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked_count, 0)

    @property
    def is_one_off(self) -> bool:
        return self.preference_id is None


class GeneratedDay(models.Model):
    """A (team, date) whose slots were generated: it is never generated again.

    This is what keeps slots an admin deleted deleted, and keeps a changed
    preference out of days generated before the change.
    """

    team = models.ForeignKey(
        "accounts.SupportTeam", on_delete=models.CASCADE, related_name="generated_days"
    )
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="scheduling_generated_day_unique")
        ]

    def __str__(self):
        return f"{self.team_id} {self.date}"


class Booking(models.Model):
    """A booked place in a slot for one thing (a refresh ticket, an order appointment).

    The booked thing is generic so every app books through here. Cancelled
    bookings stay for history; the database allows one active booking per
    booked object, so a second one must go through rescheduling.
    """

    slot = models.ForeignKey(ScheduleSlot, on_delete=models.PROTECT, related_name="bookings")
    booked_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    booked_id = models.CharField(max_length=64)
    booked_object = GenericForeignKey("booked_type", "booked_id")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["booked_type", "booked_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booked_type", "booked_id"],
                condition=Q(cancelled_at__isnull=True),
                name="scheduling_one_active_booking_per_object",
            )
        ]

    def __str__(self):
        return f"Booking {self.pk} in {self.slot_id}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


class CalendarFeedToken(models.Model):
    """A person's secret for subscribing to the slot calendars (ICS) from Outlook or Google.

    Made only when the person asks ("create my feed", a POST), shown to them
    once, stored as its SHA-256 like the emailed links; making a new one or
    turning the feed off cuts off every calendar subscribed with the old one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id"]

    def __str__(self):
        return f"Calendar feed token for {self.user_id}"
