from django.contrib import admin

from .links import links_redacted
from .models import AccessLink, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "template", "status", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "key", "to"]
    date_hierarchy = "created_at"
    # The bodies are shown with personal links replaced by what they are.
    exclude = ["body_text", "body_html"]
    readonly_fields = [
        *(f.name for f in OutboundEmail._meta.fields if f.name not in {"body_text", "body_html"}),
        "body",
    ]

    @admin.display(description="Text")
    def body(self, obj):
        return links_redacted(obj.body_text)

    @admin.display(description="To")
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False


@admin.register(AccessLink)
class AccessLinkAdmin(admin.ModelAdmin):
    list_display = ["purpose", "email", "target_type", "target_id", "expires_at", "revoked_at"]
    list_filter = ["purpose", "target_type"]
    search_fields = ["email", "target_id"]
    readonly_fields = [f.name for f in AccessLink._meta.fields]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset):
        from .links import access_link_revoke

        for link in queryset:
            access_link_revoke(link=link, reason=f"Revoked by {request.user} in admin.")

    def has_add_permission(self, request):
        return False
