"""Writes about people and organizations."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import Role, role_group_name
from .selectors import organization_for_email


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    full_name: str = "",
    phone: str = "",
    organization=None,
    roles: list[Role | str] = (),
    is_staff: bool = False,
) -> User:
    """Create a user; with no organization given, place them by email domain.

    A user with no password gets an unusable one (they sign in through a reset
    link). Role groups are added by name.
    """
    if organization is None:
        organization = organization_for_email(email=email)
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        phone=phone,
        organization=organization,
        is_staff=is_staff,
    )
    if not password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if roles:
        user_set_roles(user=user, roles=roles)
    return user


def user_set_roles(*, user: User, roles) -> None:
    """Give the user exactly these role groups (other groups are kept)."""
    role_names = {role_group_name(role) for role in roles}
    all_role_names = {role_group_name(role) for role in Role}
    keep = [g for g in user.groups.all() if g.name not in all_role_names]
    groups = list(Group.objects.filter(name__in=role_names))
    user.groups.set([*keep, *groups])
    user._role_names_cache = None
    if hasattr(user, "_perm_cache"):
        del user._perm_cache
    if hasattr(user, "_group_perm_cache"):
        del user._group_perm_cache
