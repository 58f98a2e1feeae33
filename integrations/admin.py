from django.contrib import admin

from .models import (
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
    list_display = ["serial_number", "name", "created_at"]
    search_fields = ["serial_number", "name"]


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
