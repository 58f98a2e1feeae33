"""Reads about people and organizations. Object scoping lives here, deny by default."""

from django.db.models import QuerySet

from .models import Organization, SupportTeam, User
from .roles import Role, user_has_role


def organization_descendant_ids(*, organization_ids) -> set[int]:
    """The given organizations and every sub-organization below them.

    One query per level of depth (organizations nest two or three deep).
    """
    found: set[int] = set(organization_ids)
    frontier = set(found)
    while frontier:
        children = set(
            Organization.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def organizations_visible_to(*, user) -> QuerySet[Organization]:
    """Organizations whose data ``user`` may see in the customer portal.

    A coordinator sees their own organization and its sub-organizations; staff
    roles and superusers see every organization; anyone else sees none.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser or any(user_has_role(user, role) for role in _ORG_WIDE_ROLES):
        return Organization.objects.all()
    if user.organization_id is None:
        return Organization.objects.none()
    ids = organization_descendant_ids(organization_ids=[user.organization_id])
    return Organization.objects.filter(id__in=ids)


_ORG_WIDE_ROLES = (
    Role.REFRESH_ADMINISTRATOR,
    Role.REFRESH_MANAGER,
    Role.ORDERS_TECHNICIAN,
    Role.ORDERS_MANAGER,
)


def portal_access_of(user) -> str:
    """The contact's portal access level: their own, else their organization's default
    (``PortalAccess``); "none" for someone outside every organization."""
    from .choices import PortalAccess

    if getattr(user, "portal_access", ""):
        return user.portal_access
    if getattr(user, "organization_id", None) is None:
        return PortalAccess.NONE
    return user.organization.default_portal_access


def organization_for_email(*, email: str) -> Organization | None:
    """The organization whose registered domain matches the email's domain, if any.

    ``med.example.edu`` matches a user at ``med.example.edu`` and, failing a more
    specific match, one at ``cardio.med.example.edu``.
    """
    from .models import OrganizationDomain

    domain = email.rsplit("@", 1)[-1].strip().lower()
    parts = domain.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    rows = {
        row.domain: row.organization
        for row in OrganizationDomain.objects.filter(domain__in=candidates).select_related(
            "organization"
        )
    }
    for candidate in candidates:  # most specific first
        if candidate in rows:
            return rows[candidate]
    return None


def users_with_role(*, role: Role | str) -> QuerySet[User]:
    from .roles import role_group_name

    return User.objects.filter(is_active=True, groups__name=role_group_name(role)).distinct()


def support_teams_for_user(*, user) -> QuerySet[SupportTeam]:
    if user.is_superuser or user_has_role(user, Role.REFRESH_ADMINISTRATOR):
        return SupportTeam.objects.all()
    return SupportTeam.objects.filter(members=user)


def user_is_staff_member(user) -> bool:
    """IT staff: a superuser, an admin user, or anyone holding a staff role."""
    from .roles import STAFF_ROLES

    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.is_staff or any(user_has_role(user, r) for r in STAFF_ROLES)


def user_has_second_factor(user) -> bool:
    """True once the user enrolled an authenticator app or a security key."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
