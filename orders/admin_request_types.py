"""Django admin of request types, their fields, assignment rules and time entries.

Saves go through the services (custom fields keep their key; removing a field
archives it so answers stay; time entries are audited on the order)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from orders.models import AssignmentRule, CustomField, RequestType, TimeEntry
from orders.services import custom_field_remove, time_entry_delete


class CustomFieldInline(admin.TabularInline):
    model = CustomField
    fk_name = "request_type"
    extra = 0
    ordering = ["position", "id"]
    fields = ["position", "label", "key", "kind", "required", "show_when", "show_when_value"]
    readonly_fields = ["key"]
    can_delete = False  # removing archives the field (see the field's page)


class AssignmentRuleInline(admin.TabularInline):
    model = AssignmentRule
    fk_name = "request_type"
    extra = 0
    ordering = ["position", "id"]
    raw_id_fields = ["assignee", "organization", "field"]


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "builtin_type",
        "queue",
        "all_organizations",
        "portal_visibility",
        "active",
    ]
    list_filter = ["active", "portal_visibility", "all_organizations"]
    search_fields = ["name", "description"]
    readonly_fields = ["builtin_type", "slug"]
    filter_horizontal = ["organizations"]
    inlines = [CustomFieldInline, AssignmentRuleInline]

    def has_delete_permission(self, request, obj=None):
        return False  # requests point at their type; deactivate it instead


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "request_type", "kind", "required", "position", "archived_at"]
    list_filter = ["request_type", "kind"]
    readonly_fields = ["key", "archived_at"]
    actions = ["archive"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Remove the selected fields (answers are kept)")
    def archive(self, request, queryset):
        for field in queryset:
            custom_field_remove(field=field)
        self.message_user(request, f"Removed {queryset.count()} field(s).", messages.SUCCESS)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "request_type", "queue", "assignee", "active"]
    list_filter = ["kind", "active", "request_type", "queue"]
    raw_id_fields = ["assignee", "organization", "field"]


@admin.register(TimeEntry)
class TimeEntryAdmin(admin.ModelAdmin):
    list_display = ["order", "person", "minutes", "worked_on", "billable"]
    list_filter = ["billable", "worked_on"]
    search_fields = ["=order__number", "person__email", "note"]
    raw_id_fields = ["order", "action", "person"]
    readonly_fields = ["order", "action", "person", "minutes", "worked_on", "note", "billable"]

    def has_add_permission(self, request):
        return False  # logged on the order page (audited)

    def delete_model(self, request, obj):
        try:
            time_entry_delete(entry=obj, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            self.delete_model(request, entry)
