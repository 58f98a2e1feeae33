"""Django admin for every orders model; order actions call the services.

Orders and their actions are never changed behind the services' back: the
order's change form saves through ``orders.services.order_admin_update`` (one
audit row with before/after per field) and shows everything else read-only
(``common.admin.AuditedChangeAdmin``); actions are read-only here.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from common.admin import AuditedChangeAdmin
from orders import services
from orders.forms.queues import OrderQueueAdminForm
from orders.models import (
    EndUserSecret,
    InstallableSoftware,
    Order,
    OrderAction,
    OrderActionTemplate,
    OrderAttachment,
    OrderAudit,
    OrderITSMTicket,
    OrderMessage,
    OrderQueue,
    OrderSubscription,
    WorkstationPlaceholder,
)


@admin.register(InstallableSoftware)
class InstallableSoftwareAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "active"]
    list_filter = ["active"]
    search_fields = ["name", "vendor"]


class OrderActionTemplateInline(admin.TabularInline):
    model = OrderActionTemplate
    extra = 0
    ordering = ["position"]


@admin.register(OrderQueue)
class OrderQueueAdmin(admin.ModelAdmin):
    """One queue may take several order types; each type has one active queue."""

    form = OrderQueueAdminForm
    list_display = ["name", "order_types_display", "active", "default_owner"]
    list_filter = ["order_type", "active"]
    search_fields = ["name"]
    filter_horizontal = ["team"]
    raw_id_fields = ["default_owner", "round_robin_last"]
    inlines = [OrderActionTemplateInline]

    def save_model(self, request, obj, form, change):
        services.order_queue_save(queue=obj)


@admin.register(OrderActionTemplate)
class OrderActionTemplateAdmin(admin.ModelAdmin):
    list_display = ["queue", "position", "name", "kind", "automation"]
    list_filter = ["queue", "kind", "automation"]


class OrderActionInline(admin.TabularInline):
    model = OrderAction
    extra = 0
    can_delete = False
    fields = [
        "position",
        "name",
        "kind",
        "automation",
        "status",
        "note",
        "processed_by",
        "processed_at",
        "attempts",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderAuditInline(admin.TabularInline):
    model = OrderAudit
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "actor_job", "transition", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, queryset, label, func):
    done = 0
    for order in queryset:
        try:
            func(order)
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"Order {order.number}: {' '.join(exc.messages)}", messages.ERROR
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{label}: {done} order(s).", messages.SUCCESS)


@admin.register(Order)
class OrderAdmin(AuditedChangeAdmin, admin.ModelAdmin):
    list_display = [
        "number",
        "order_type",
        "organization",
        "status",
        "owner",
        "priority",
        "created_at",
    ]
    list_filter = ["status", "order_type", "queue", "priority"]
    search_fields = [
        "=number",
        "new_username",
        "new_full_name",
        "workstation",
        "organization__name",
        "existing_user__email",
    ]
    list_select_related = ["organization", "owner"]
    raw_id_fields = [
        "organization",
        "submitted_by",
        "owner",
        "existing_user",
        "existing_placeholder",
        "queue",
    ]
    filter_horizontal = ["software"]
    inlines = [OrderActionInline, OrderAuditInline]

    def audited_fields(self, request, obj):
        return services.order_admin_editable_fields(order=obj) if obj else []

    def audited_save(self, request, obj, data, form):
        services.order_admin_update(order=obj, actor=request.user, data=data)

    actions = ["submit_orders", "hold_orders", "resume_orders", "cancel_orders", "advance_orders"]

    @admin.action(description="Submit the selected drafts")
    def submit_orders(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "Submitted",
            lambda o: services.order_submit(order=o, actor=request.user),
        )

    @admin.action(description="Put the selected orders on hold")
    def hold_orders(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "Held",
            lambda o: services.order_hold(order=o, actor=request.user, note="From admin."),
        )

    @admin.action(description="Resume the selected orders")
    def resume_orders(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "Resumed",
            lambda o: services.order_resume(order=o, actor=request.user, note="From admin."),
        )

    @admin.action(description="Cancel the selected orders (cannot be undone)")
    def cancel_orders(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "Cancelled",
            lambda o: services.order_cancel(order=o, actor=request.user, note="From admin."),
        )

    @admin.action(description="Run the next automated actions now")
    def advance_orders(self, request, queryset):
        from orders.tasks import order_actions_advance_task

        _run(self, request, queryset, "Queued", lambda o: order_actions_advance_task.delay(o.pk))


@admin.register(OrderAction)
class OrderActionAdmin(AuditedChangeAdmin, admin.ModelAdmin):
    """Read-only: actions are processed, skipped and retried through the services."""

    list_display = ["order", "position", "name", "kind", "status", "attempts"]
    list_filter = ["status", "kind", "automation"]
    search_fields = ["=order__number", "name"]
    raw_id_fields = ["order", "template", "processed_by"]


@admin.register(OrderAudit)
class OrderAuditAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "created_at",
        "actor",
        "actor_job",
        "transition",
        "from_status",
        "to_status",
    ]
    list_filter = ["transition", "to_status"]
    search_fields = ["=order__number", "note"]
    raw_id_fields = ["order", "actor"]

    def has_change_permission(self, request, obj=None):
        return False


class OrderAttachmentInline(admin.TabularInline):
    model = OrderAttachment
    extra = 0


@admin.register(OrderMessage)
class OrderMessageAdmin(admin.ModelAdmin):
    list_display = ["order", "kind", "author", "assigned_to", "created_at"]
    list_filter = ["kind", "from_client"]
    search_fields = ["=order__number", "body"]
    raw_id_fields = ["order", "author", "assigned_to", "quoted"]
    inlines = [OrderAttachmentInline]


@admin.register(OrderAttachment)
class OrderAttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "message", "size", "content_type", "created_at"]
    raw_id_fields = ["message"]


@admin.register(OrderSubscription)
class OrderSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["order", "user", "created_at"]
    raw_id_fields = ["order", "user"]


@admin.register(WorkstationPlaceholder)
class WorkstationPlaceholderAdmin(admin.ModelAdmin):
    list_display = ["name", "workstation", "organization", "order", "active", "released_at"]
    list_filter = ["active"]
    search_fields = ["name", "workstation"]
    raw_id_fields = ["order", "organization"]


@admin.register(EndUserSecret)
class EndUserSecretAdmin(admin.ModelAdmin):
    """Metadata only: the ciphertext is never shown, and secrets are never edited here."""

    list_display = ["order", "created_at", "expires_at", "revealed_at", "revealed_by", "purged_at"]
    fields = ["order", "created_at", "expires_at", "revealed_at", "revealed_by", "purged_at"]
    readonly_fields = fields
    actions = ["purge"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Purge the selected secrets now")
    def purge(self, request, queryset):
        count = services.enduser_secrets_purge(
            secret_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        self.message_user(request, f"Purged {count} secret(s).", messages.SUCCESS)


@admin.register(OrderITSMTicket)
class OrderITSMTicketAdmin(admin.ModelAdmin):
    list_display = ["itsm_id", "order", "title", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["itsm_id", "title", "=order__number"]
    raw_id_fields = ["order"]


from orders.admin_responses import CannedResponseAdmin  # noqa: E402, F401  (registers it)

from . import admin_request_types  # noqa: E402,F401  (request types, issue 13)
