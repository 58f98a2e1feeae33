"""Writes about people and organizations."""

import logging

from django.contrib.auth.models import Group
from django.db import transaction

from .models import IdpGroupRole, SignInRecord, User
from .roles import Role, role_group_name
from .selectors import organization_for_email

logger = logging.getLogger(__name__)


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
    portal_access: str = "",
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
        portal_access=portal_access,
    )
    if not password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if roles:
        user_set_roles(user=user, roles=roles)
    return user


def organization_get_or_create(*, name: str, parent=None):
    """The organization of this name, made (under ``parent``) when missing."""
    from .models import Organization

    organization, _ = Organization.objects.get_or_create(name=name, defaults={"parent": parent})
    return organization


@transaction.atomic
def organization_portal_options_set(
    *,
    organization,
    portal_visibility: str | None = None,
    default_portal_access: str | None = None,
    account_team=(),
):
    """Set an organization's portal visibility and default access level, and add
    people to its account team (issue 13). Changed fields only."""
    fields = []
    if portal_visibility is not None and organization.portal_visibility != portal_visibility:
        organization.portal_visibility = portal_visibility
        fields.append("portal_visibility")
    if (
        default_portal_access is not None
        and organization.default_portal_access != default_portal_access
    ):
        organization.default_portal_access = default_portal_access
        fields.append("default_portal_access")
    if fields:
        organization.full_clean(exclude=["parent", "primary_contact", "account_team"])
        organization.save(update_fields=fields)
    if account_team:
        organization.account_team.add(*account_team)
    return organization


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


@transaction.atomic
def user_sync_idp_roles(*, user: User, groups) -> list[str]:
    """Give ``user`` exactly the roles their identity-provider ``groups`` map to.

    The mapping is the IdpGroupRole table (admin). Returns the role values set.
    """
    roles = sorted(
        set(
            IdpGroupRole.objects.filter(group__in=[str(g) for g in groups]).values_list(
                "role", flat=True
            )
        )
    )
    user_set_roles(user=user, roles=roles)
    return roles


def sign_in_record(
    *, user: User, method: str, break_glass: bool = False, idp_mfa: bool = False, client_ip=None
) -> SignInRecord:
    """Keep one row per sign-in; a break-glass one is also logged as a warning."""
    record = SignInRecord.objects.create(
        user=user, method=method, break_glass=break_glass, idp_mfa=idp_mfa, client_ip=client_ip
    )
    if break_glass:
        logger.warning("Break-glass sign-in with a local password: user %s", user.pk)
    return record
