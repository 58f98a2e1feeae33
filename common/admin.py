"""Admin pieces shared by every app, and the admin of the effects outbox.

Django admin never changes domain data behind the services' back (issue 12):
an admin that mixes in :class:`AuditedChangeAdmin` shows every field read-only
except the ones ``audited_fields(obj)`` names, and saves those through
``audited_save`` — the subclass calls its app's service there (permission
checks, ``common.services.model_update``, one audit row with the before and
after of each changed field). Many-to-many fields are passed to the service
too; the admin's own ``save_m2m`` is never called. A service error goes back to
the change form as a message, and nothing is saved.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from common.effects import effect_retry_now
from common.models import Effect


def model_field_names(model) -> list[str]:
    """Every field a ModelForm could show for ``model`` (concrete and many-to-many)."""
    return [
        field.name
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many) and not field.auto_created
    ]


class AuditedChangeAdmin:
    """Mix into a ``ModelAdmin`` before it: read-only unless audited on save."""

    def audited_fields(self, request, obj) -> list[str]:
        """Fields the change form of ``obj`` may edit (each saved through the service)."""
        return []

    def audited_save(self, request, obj, data: dict, form) -> None:
        """Save ``data`` (the changed fields) on ``obj`` through the app's service
        (``form.cleaned_data`` holds every editable field, for services that want all).

        Every admin that names editable fields implements it; one that keeps every
        field read-only never gets here (``save_model`` returns before)."""
        raise NotImplementedError(
            f"{type(self).__name__} names editable fields but no service that saves them"
        )

    def has_add_permission(self, request, *args):
        # Domain objects are created through the pages and services that own them.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the audit trail with it; services cancel or deactivate.
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = set(self.audited_fields(request, obj))
        return [name for name in model_field_names(self.model) if name not in editable]

    def save_model(self, request, obj, form, change):
        editable = set(self.audited_fields(request, obj))
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
        if not data:
            return
        try:
            self.audited_save(request, obj, data, form)
        except ValidationError as exc:
            request._audited_save_error = " ".join(exc.messages)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields went through the service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_change(self, request, obj):
        error = getattr(request, "_audited_save_error", "")
        if error:
            self.message_user(request, f"Nothing was saved: {error}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


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
