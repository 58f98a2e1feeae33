"""Saved views, their subscriptions, the staff who may be subscribed to them, and the
lifecycle policies the forecast page lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import ROLE_GROUP_NAMES, STAFF_ROLES, user_has_role
from reports.models import LifecyclePolicy, ReportSubscription, SavedView


# --- saved views ----------------------------------------------------------------------
def saved_views_for(*, user) -> QuerySet[SavedView]:
    """The user's own saved views and those shared with one of their roles."""
    qs = SavedView.objects.select_related("owner")
    if not user.is_superuser:
        names = set(user.groups.values_list("name", flat=True))
        roles = [role.value for role, name in ROLE_GROUP_NAMES.items() if name in names]
        qs = qs.filter(Q(owner=user) | Q(shared_with_role__in=roles))
    return qs.order_by("name", "pk")


def saved_view_visible_to(*, saved_view: SavedView, user) -> bool:
    """The owner, a superuser, or someone of the role the view is shared with."""
    if saved_view.owner_id == user.pk or user.is_superuser:
        return True
    return bool(saved_view.shared_with_role) and user_has_role(user, saved_view.shared_with_role)


def saved_view_for(*, user, pk: int) -> SavedView | None:
    """One saved view this user may see (None when there is none or it is not theirs)."""
    view = SavedView.objects.select_related("owner").filter(pk=pk).first()
    if view is None or not saved_view_visible_to(saved_view=view, user=user):
        return None
    return view


def subscriptions_live(*, saved_view: SavedView) -> QuerySet[ReportSubscription]:
    """Who receives this view's report now."""
    return saved_view.subscriptions.filter(unsubscribed_at__isnull=True).select_related(
        "subscriber"
    )


def subscriptions_of(*, user) -> QuerySet[ReportSubscription]:
    """The reports this person receives now."""
    return ReportSubscription.objects.filter(
        subscriber=user, unsubscribed_at__isnull=True
    ).select_related("saved_view")


def subscription_get(*, pk: int) -> ReportSubscription | None:
    return ReportSubscription.objects.select_related("saved_view").filter(pk=pk).first()


def staff_people() -> QuerySet[User]:
    """Active staff (any staff role, or superuser): who may receive reports."""
    names = [ROLE_GROUP_NAMES[role] for role in STAFF_ROLES]
    ids = User.objects.filter(Q(groups__name__in=names) | Q(is_superuser=True)).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("full_name", "email")


# --- lifecycle policies ---------------------------------------------------------------
def lifecycle_policies() -> QuerySet[LifecyclePolicy]:
    """Every policy, platforms first, then by hardware model."""
    return LifecyclePolicy.objects.select_related("hardware_model").order_by(
        "platform", "hardware_model__manufacturer", "hardware_model__name"
    )


def lifecycle_policy_get(*, pk: int) -> LifecyclePolicy | None:
    return LifecyclePolicy.objects.filter(pk=pk).first()
