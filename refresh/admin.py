"""Django admin for every refresh model; ticket actions call the services.

Tickets and configs are never changed behind the services' back: their change
forms save through ``refresh.services.ticket_admin_update`` and ``config_save``
(one audit row with before/after per field) and show everything else read-only
(``common.admin.AuditedChangeAdmin``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError

from common.admin import AuditedChangeAdmin, model_field_names
from refresh import selectors, services
from refresh.models import (
    HardwareModel,
    Peripheral,
    PeripheralBundle,
    RefreshBatch,
    RefreshBatchRow,
    RefreshConfig,
    RefreshTicket,
    RefreshTicketAudit,
    RefreshTicketEvent,
    SoftwareTitle,
    System,
)


@admin.register(HardwareModel)
class HardwareModelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "active"]
    list_filter = ["platform", "active"]
    search_fields = ["manufacturer", "name"]
    filter_horizontal = ["approved_for"]


@admin.register(Peripheral)
class PeripheralAdmin(admin.ModelAdmin):
    list_display = ["name", "manufacturer", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "manufacturer"]


@admin.register(PeripheralBundle)
class PeripheralBundleAdmin(admin.ModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["peripherals"]
    search_fields = ["name"]


@admin.register(SoftwareTitle)
class SoftwareTitleAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "platform", "active"]
    list_filter = ["platform", "active"]
    search_fields = ["name", "vendor"]


class SystemActionForm(ActionForm):
    """The admin action bar with a config picker for "Open refresh tickets"."""

    config = forms.ModelChoiceField(
        queryset=RefreshConfig.objects.none(), required=False, label="Refresh config"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["config"].queryset = selectors.configs_active()


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    action_form = SystemActionForm
    actions = ["open_refresh_tickets"]
    list_display = [
        "serial_number",
        "name",
        "hardware_model",
        "platform",
        "status",
        "current_user",
        "organization",
    ]
    list_filter = ["status", "platform", "organization"]
    search_fields = ["serial_number", "name", "current_user__email", "current_user__full_name"]
    list_select_related = ["hardware_model", "current_user", "organization"]
    raw_id_fields = ["current_user"]

    @admin.action(description="Open refresh tickets with the chosen config")
    def open_refresh_tickets(self, request, queryset):
        config = selectors.config_active_get(config_id=request.POST.get("config"))
        if config is None:
            self.message_user(request, "Pick a refresh config first.", messages.ERROR)
            return
        try:
            report = services.tickets_create_for_systems(
                systems=list(queryset.values_list("pk", flat=True)),
                config=config,
                actor=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, f"{report.ok_count} tickets opened with {config}.")
        for row in report.rows:
            if not row.ok:
                self.message_user(request, f"{row.key}: {row.message}", messages.WARNING)


class RefreshConfigAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        # config_save's rule, said next to the form instead of after saving.
        if data.get("requires_approval") and not data.get("approvers"):
            self.add_error("approvers", "Name at least one approver when approval is required.")
        return data


@admin.register(RefreshConfig)
class RefreshConfigAdmin(AuditedChangeAdmin, admin.ModelAdmin):
    """Created and edited through ``config_save``: one audit row per save."""

    form = RefreshConfigAdminForm
    list_display = ["name", "organization", "style", "requires_approval", "support_team", "active"]
    list_filter = ["style", "requires_approval", "active"]
    search_fields = ["name"]
    filter_horizontal = ["approvers", "approved_models", "approved_peripherals", "software_catalog"]

    def has_add_permission(self, request):
        return request.user.has_perm("refresh.add_refreshconfig")

    def audited_fields(self, request, obj):
        return [name for name in model_field_names(RefreshConfig) if name != "created_at"]

    def audited_save(self, request, obj, data, form):
        # config_save checks rules across fields (approval needs approvers): give it
        # every editable field; it saves and audits only the changed ones.
        names = self.audited_fields(request, obj)
        full = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        services.config_save(actor=request.user, data=full, config=obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        names = self.audited_fields(request, None)
        data = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        created = services.config_save(actor=request.user, data=data)
        obj.pk = created.pk
        return None


class RefreshBatchRowInline(admin.TabularInline):
    model = RefreshBatchRow
    extra = 0
    can_delete = False
    readonly_fields = ["position", "serial_number", "outcome", "message", "system", "ticket"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RefreshBatch)
class RefreshBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "config", "created_by", "created_at", "tickets_created_at"]
    list_filter = ["config"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created_at", "tickets_created_at"]
    inlines = [RefreshBatchRowInline]
    actions = ["create_tickets"]

    @admin.action(description="Create tickets for the found serials", permissions=["change"])
    def create_tickets(self, request, queryset):
        for batch in queryset:
            try:
                report = services.batch_create_tickets(batch=batch, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{batch}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{batch}: {report.ok_count} tickets created.")


class AuditInline(admin.TabularInline):
    model = RefreshTicketAudit
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "actor_job", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = RefreshTicketEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "summary", "created_by", "actor_label", "itsm_synced_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _ticket_action(description, call):
    def action(modeladmin, request, queryset):
        done = 0
        for ticket in queryset.order_by("pk"):
            try:
                call(ticket, request.user)
            except ValidationError as exc:
                modeladmin.message_user(
                    request, f"{ticket.number}: {' '.join(exc.messages)}", messages.WARNING
                )
            else:
                done += 1
        modeladmin.message_user(request, f"{description}: {done} tickets.")

    action.short_description = description
    action.__name__ = "action_" + description.lower().replace(" ", "_")
    return action


@admin.register(RefreshTicket)
class RefreshTicketAdmin(AuditedChangeAdmin, admin.ModelAdmin):
    list_display = [
        "number",
        "existing_system",
        "user",
        "style",
        "status",
        "support_team",
        "config",
    ]
    list_filter = ["status", "style", "support_team", "config"]
    search_fields = ["existing_system__serial_number", "user__email", "user__full_name"]
    list_select_related = ["existing_system", "user", "support_team", "config"]
    raw_id_fields = [
        "existing_system",
        "replacement_system",
        "user",
        "delegate",
        "booking",
        "approved_by",
        "created_by",
        "batch",
    ]
    inlines = [AuditInline, EventInline]
    actions = [
        _ticket_action("Put on hold", lambda t, u: services.ticket_hold(ticket=t, actor=u)),
        _ticket_action("Resume", lambda t, u: services.ticket_resume(ticket=t, actor=u)),
        _ticket_action(
            "Cancel", lambda t, u: services.ticket_cancel(ticket=t, actor=u, note="Admin")
        ),
        _ticket_action(
            "Release booking",
            lambda t, u: services.ticket_request_reschedule(ticket=t, actor=u, actor_label=""),
        ),
        _ticket_action(
            "Mark installed", lambda t, u: services.ticket_mark_installed(ticket=t, actor=u, job="")
        ),
        _ticket_action(
            "Mark complete", lambda t, u: services.ticket_mark_complete(ticket=t, actor=u, job="")
        ),
    ]

    # Tickets are opened through batches, bulk creation or ticket_create (no add).

    def audited_fields(self, request, obj):
        return services.ticket_admin_editable_fields(ticket=obj) if obj else []

    def audited_save(self, request, obj, data, form):
        services.ticket_admin_update(ticket=obj, actor=request.user, data=data)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(RefreshTicketAudit)
class RefreshTicketAuditAdmin(admin.ModelAdmin):
    list_display = ["ticket", "from_status", "to_status", "actor", "actor_job", "created_at"]
    list_filter = ["to_status"]
    raw_id_fields = ["ticket", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RefreshTicketEvent)
class RefreshTicketEventAdmin(admin.ModelAdmin):
    list_display = ["ticket", "kind", "summary", "created_at", "itsm_synced_at"]
    list_filter = ["kind"]
    raw_id_fields = ["ticket", "created_by"]

    def has_add_permission(self, request):
        return False
