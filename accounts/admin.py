from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from .models import (
    IdpGroupRole,
    Organization,
    OrganizationDomain,
    SignInRecord,
    SupportTeam,
    User,
)


class HandoverUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "organization")


class HandoverUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = HandoverUserCreationForm
    form = HandoverUserChangeForm
    ordering = ["email"]
    list_display = ["email", "full_name", "organization", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "organization"]
    search_fields = ["email", "full_name", "phone"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "phone", "organization", "portal_access")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "organization", "password1", "password2"),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        # Created here too, a user joins the organization of their email domain.
        if not change and obj.organization_id is None:
            from .selectors import organization_for_email

            obj.organization = organization_for_email(email=obj.email)
        super().save_model(request, obj, form, change)


class OrganizationDomainInline(admin.TabularInline):
    model = OrganizationDomain
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "primary_contact", "portal_visibility"]
    list_filter = ["portal_visibility"]
    search_fields = ["name", "domains__domain"]
    list_select_related = ["parent", "primary_contact"]
    autocomplete_fields = ["parent", "primary_contact", "account_team"]
    inlines = [OrganizationDomainInline]


@admin.register(SupportTeam)
class SupportTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "slack_channel"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["members"]


@admin.register(IdpGroupRole)
class IdpGroupRoleAdmin(admin.ModelAdmin):
    """Which identity-provider group gives which role at single sign-on."""

    list_display = ["group", "role"]
    list_filter = ["role"]
    search_fields = ["group"]


@admin.register(SignInRecord)
class SignInRecordAdmin(admin.ModelAdmin):
    """Read-only sign-in log; break-glass sign-ins are the ones to review."""

    list_display = ["created_at", "user", "method", "break_glass", "idp_mfa", "client_ip"]
    list_filter = ["break_glass", "method", "idp_mfa"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
