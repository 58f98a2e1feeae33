"""Django admin for scheduling. Slots and bookings are read-only here: slots are
added on the staff calendar (``slot_create_one_off``) and deleted, bookings
cancelled, through the services (admin actions below)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from common.admin import AuditedChangeAdmin

from . import services
from .models import (
    Booking,
    CalendarFeedToken,
    ClosureDay,
    GeneratedDay,
    ScheduleSlot,
    ScheduleSlotPreference,
)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Where closures (season days) and open overrides of holidays are managed."""

    list_display = ["date", "name", "open"]
    list_filter = ["open"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        services.closure_day_save(closure=obj)

    def delete_model(self, request, obj):
        services.closure_days_delete(closures=[obj])

    def delete_queryset(self, request, queryset):
        services.closure_days_delete(closures=queryset)


@admin.register(ScheduleSlotPreference)
class ScheduleSlotPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "team",
        "weekday",
        "start_time",
        "duration_minutes",
        "capacity",
        "location_note",
        "active",
    ]
    list_filter = ["active", "weekday", "team"]
    list_select_related = ["team"]
    actions = ["deactivate"]

    @admin.action(description="Deactivate selected preferences (existing slots stay)")
    def deactivate(self, request, queryset):
        for pref in queryset:
            services.slot_preference_deactivate(preference=pref)
        self.message_user(request, f"Deactivated {queryset.count()} preference(s).")


class BookingInline(admin.TabularInline):
    model = Booking
    fields = ["booked_type", "booked_id", "booked_by", "created_at", "cancelled_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(AuditedChangeAdmin, admin.ModelAdmin):
    """Read-only: slots are deleted through the service (kept, bookings cancelled), never
    hard-deleted; capacity and times change only in newly generated or added slots."""

    list_display = ["start", "end", "team", "capacity", "booked_count", "preference", "deleted_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter), "team"]
    list_select_related = ["team", "preference"]
    date_hierarchy = "start"
    inlines = [BookingInline]
    actions = ["delete_slots"]

    @admin.action(description="Delete selected slots and cancel their bookings")
    def delete_slots(self, request, queryset):
        cancelled = asked = 0
        for slot in queryset.order_by("pk"):
            try:
                done = services.slot_delete(slot=slot, by=request.user, cancel_bookings=True)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            cancelled += done.cancelled
            asked += done.customers_asked
        self.message_user(
            request,
            f"Deleted the slots; {cancelled} booking(s) cancelled, "
            f"{asked} customer(s) asked for a new time.",
        )


@admin.register(GeneratedDay)
class GeneratedDayAdmin(admin.ModelAdmin):
    list_display = ["team", "date", "created_at"]
    list_filter = ["team"]
    list_select_related = ["team"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(AuditedChangeAdmin, admin.ModelAdmin):
    list_display = [
        "pk",
        "slot",
        "booked_type",
        "booked_id",
        "booked_by",
        "created_at",
        "cancelled_at",
    ]
    list_filter = [("cancelled_at", admin.EmptyFieldListFilter), "booked_type"]
    list_select_related = ["slot", "slot__team", "booked_type", "booked_by"]
    actions = ["cancel_bookings"]

    @admin.action(description="Cancel selected bookings")
    def cancel_bookings(self, request, queryset):
        for booking in queryset.filter(cancelled_at__isnull=True).order_by("pk"):
            services.booking_cancel(booking=booking, by=request.user, reason="Cancelled in admin")
        self.message_user(request, "Cancelled the selected bookings.")


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Turn off (subscribed calendars stop updating)")
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            services.calendar_feed_revoke(user=token.user)
        self.message_user(request, "Calendar feeds turned off.")
