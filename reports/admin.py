from django.contrib import admin

from .models import LifecyclePolicy, MetricSnapshot, ReportSubscription, SavedView


class SubscriptionInline(admin.TabularInline):
    model = ReportSubscription
    extra = 0
    raw_id_fields = ("subscriber", "created_by")


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ("name", "list_name", "owner", "shared_with_role", "created_at")
    list_filter = ("list_name", "shared_with_role")
    search_fields = ("name", "owner__email")
    raw_id_fields = ("owner",)
    inlines = [SubscriptionInline]


@admin.register(LifecyclePolicy)
class LifecyclePolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "basis", "months")


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(admin.ModelAdmin):
    list_display = ("name", "date", "value", "recorded_at")
    list_filter = ("name",)
