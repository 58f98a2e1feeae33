"""Roles are Django groups; their permissions come from every app's ``roles.py``.

Each app may define ``ROLE_PERMISSIONS = {Role.X: ["app_label.codename", ...]}``
in ``<app>/roles.py``. The groups themselves are created by a data migration;
after every ``migrate`` the post_migrate handler gives each group the union of
the permissions the apps name (permissions exist only once migrate has run).
"""

from importlib import import_module

from django.apps import apps as global_apps
from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    APPROVER = "approver", "Approver"
    REFRESH_ADMINISTRATOR = "refresh_administrator", "Refresh administrator"
    REFRESH_MANAGER = "refresh_manager", "Refresh manager"
    SCHEDULE_SLOT_ADMIN = "schedule_slot_admin", "Schedule slot admin"
    ORDERS_TECHNICIAN = "orders_technician", "Orders technician"
    ORDERS_MANAGER = "orders_manager", "Orders manager"


# Group names as people see them in admin.
ROLE_GROUP_NAMES = {role: role.label for role in Role}

STAFF_ROLES = {
    Role.REFRESH_ADMINISTRATOR,
    Role.REFRESH_MANAGER,
    Role.SCHEDULE_SLOT_ADMIN,
    Role.ORDERS_TECHNICIAN,
    Role.ORDERS_MANAGER,
}


def collect_role_permissions(app_configs=None) -> dict[str, set[str]]:
    """Role value -> set of "app_label.codename" named by every installed app."""
    wanted: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in app_configs or global_apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            wanted[str(role)].update(perms)
    return wanted


def sync_role_permissions(*, group_model=None, permission_model=None) -> None:
    """Create the role groups if missing and set their permissions exactly."""
    from django.contrib.auth.models import Group, Permission

    group_model = group_model or Group
    permission_model = permission_model or Permission
    wanted = collect_role_permissions()
    all_codes = set().union(*wanted.values())
    by_code = {}
    if all_codes:
        for perm in permission_model.objects.select_related("content_type"):
            by_code[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        perms = [by_code[code] for code in sorted(wanted[role.value]) if code in by_code]
        group.permissions.set(perms)


def sync_role_permissions_handler(sender, **kwargs):
    # post_migrate fires once per app, after that app's permissions are made;
    # act once, after the last app, when every permission exists.
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if with_models and sender is with_models[-1]:
        sync_role_permissions()


def role_group_name(role: Role | str) -> str:
    return ROLE_GROUP_NAMES[Role(role)]


def user_role_names(user) -> set[str]:
    """The names of ``user``'s groups, read once per user object."""
    names = getattr(user, "_role_names_cache", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names_cache = names
    return names


def user_has_role(user, role: Role | str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return role_group_name(role) in user_role_names(user)


ROLE_PERMISSIONS = {
    Role.REFRESH_ADMINISTRATOR: [
        "accounts.view_organization",
        "accounts.view_user",
        "accounts.view_supportteam",
    ],
    Role.REFRESH_MANAGER: ["accounts.view_organization", "accounts.view_supportteam"],
    Role.SCHEDULE_SLOT_ADMIN: ["accounts.view_supportteam"],
    Role.ORDERS_TECHNICIAN: ["accounts.view_organization", "accounts.view_user"],
    Role.ORDERS_MANAGER: [
        "accounts.view_organization",
        "accounts.view_user",
        "accounts.view_supportteam",
    ],
}
