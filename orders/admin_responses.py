"""Admin for canned responses (order managers keep the reply templates here).

Canned responses are configuration texts, not order data: nothing on an order
changes when one is edited, so the admin saves them directly.
"""

from django.contrib import admin

from orders.models import CannedResponse
from orders.models.responses import PLACEHOLDERS


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ["name", "order_type", "subject", "active", "updated_at"]
    list_filter = ["active", "order_type"]
    search_fields = ["name", "subject", "body"]
    fieldsets = [
        (None, {"fields": ["name", "order_type", "active"]}),
        (
            "Text",
            {
                "fields": ["subject", "body"],
                "description": "Placeholders: "
                + "; ".join(f"{{{name}}}: {meaning}" for name, meaning in PLACEHOLDERS.items()),
            },
        ),
    ]
