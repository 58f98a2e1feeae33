"""Saved views and the staff who may be subscribed to them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import ROLE_GROUP_NAMES, STAFF_ROLES
from reports.models import SavedView


# --- saved views ----------------------------------------------------------------------
def saved_views_for(*, user) -> QuerySet[SavedView]:
    """The user's own saved views and those shared with one of their roles."""
    qs = SavedView.objects.select_related("owner")
    if not user.is_superuser:
        names = set(user.groups.values_list("name", flat=True))
        roles = [role.value for role, name in ROLE_GROUP_NAMES.items() if name in names]
        qs = qs.filter(Q(owner=user) | Q(shared_with_role__in=roles))
    return qs.order_by("name", "pk")


def staff_people() -> QuerySet[User]:
    """Active staff (any staff role, or superuser): who may receive reports."""
    names = [ROLE_GROUP_NAMES[role] for role in STAFF_ROLES]
    ids = User.objects.filter(Q(groups__name__in=names) | Q(is_superuser=True)).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("full_name", "email")
