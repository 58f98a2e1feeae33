"""Django admin of the effects outbox: read-only rows, "run again now" through the service."""

from django.contrib import admin, messages

from common.effects import effect_retry_now
from common.models import Effect


@admin.register(Effect)
class EffectAdmin(admin.ModelAdmin):
    """Effects are written by services and workers only; staff read them and retry."""

    list_display = ["id", "task_name", "target_kind", "target_id", "status", "attempts"]
    list_filter = ["status", "target_kind"]
    search_fields = ["task_name", "key", "last_error"]
    date_hierarchy = "created_at"
    raw_id_fields = ["retried_by"]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Run the selected effects again now", permissions=["retry"])
    def retry_now(self, request, queryset):
        for effect in queryset.order_by("pk"):
            effect_retry_now(effect_id=effect.pk, actor=request.user)
        messages.success(request, f"{queryset.count()} effect(s) will run again now.")

    def has_retry_permission(self, request):
        return request.user.has_perm("common.retry_effect")
