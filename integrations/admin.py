from django.contrib import admin

from .models import (
    JobRun,
    StubDirectoryAccount,
    StubDirectoryComputer,
    StubITSMAsset,
    StubITSMTask,
    StubITSMTicket,
    StubSettings,
    StubSlackMessage,
)


class StubITSMTaskInline(admin.TabularInline):
    model = StubITSMTask
    extra = 0


@admin.register(StubITSMTicket)
class StubITSMTicketAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "status", "requestor_email", "created_at"]
    list_filter = ["status", "type_name"]
    search_fields = ["title", "requestor_email"]
    inlines = [StubITSMTaskInline]


@admin.register(StubITSMAsset)
class StubITSMAssetAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "name", "owner_email", "support_group", "created_at"]
    search_fields = ["serial_number", "name", "owner_email"]


@admin.register(StubDirectoryAccount)
class StubDirectoryAccountAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "email", "active"]
    search_fields = ["username", "full_name", "email"]
    exclude = ["password_hash"]


@admin.register(StubDirectoryComputer)
class StubDirectoryComputerAdmin(admin.ModelAdmin):
    list_display = ["name", "assigned_username", "state"]
    search_fields = ["name", "assigned_username"]


@admin.register(StubSlackMessage)
class StubSlackMessageAdmin(admin.ModelAdmin):
    list_display = ["channel", "team_name", "text", "created_at"]


admin.site.register(StubSettings)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """'Run this job now' clicks: read-only, the record of who started what."""

    list_display = ["job", "requested_by", "requested_at", "started_at", "finished_at", "result"]
    list_filter = ["job"]
    readonly_fields = [f.name for f in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False
