"""Reads of the coordinator portal and the pages reached from emailed links;
object scoping lives here (deny by default)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, prefetch_related_objects

from accounts.choices import PortalAccess, PortalVisibility
from accounts.models import User
from accounts.roles import Role, user_has_role
from accounts.selectors import (
    organization_descendant_ids,
    organizations_visible_to,
    portal_access_of,
)
from common.prepared import Bound, Prepared, prefetched_set
from orders.choices import CLIENT_VISIBLE_MESSAGE_KINDS, OrderStatus, OrderType
from orders.models import (
    InstallableSoftware,
    Order,
    OrderAction,
    OrderMessage,
    OrderQueue,
    WorkstationPlaceholder,
)

STAFF_ORDER_ROLES = (Role.ORDERS_TECHNICIAN, Role.ORDERS_MANAGER)


def user_is_orders_staff(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or any(user_has_role(user, role) for role in STAFF_ORDER_ROLES)
    )


def user_is_coordinator(user) -> bool:
    """A coordinator whose access level is not "none" (issue 13: access per contact)."""
    if not (getattr(user, "is_authenticated", False) and user_has_role(user, Role.COORDINATOR)):
        return False
    return (
        user.is_superuser
        or user.organization_id is None
        or (portal_access_of(user) != PortalAccess.NONE)
    )


# Above this many visible organizations (staff roles, superusers) the portal
# filters through a subquery instead of listing their ids.
MAX_LISTED_ORGANIZATIONS = 200


def orders_for_portal(*, user, status: str = "") -> QuerySet[Order]:
    """Orders a coordinator may see: their organizations' (sub-organizations included);
    only their own where the order's organization says "own requests only". A known
    ``status`` narrows the list; an unknown one is ignored.

    The visible organizations are read first (one small query) and named by id, so
    the orders' filter is ``organization_id IN (...)`` (plus the coordinator's own
    orders in "own requests only" organizations): PostgreSQL walks the
    ``(organization, [status,] -created_at, -id)`` index for a page instead of
    joining the organizations and sorting every visible order (issue #17)."""
    if not user_is_coordinator(user):
        return Order.objects.none()
    scope = _portal_scope(user)
    if scope is None:
        return _portal_filtered(_orders_for_portal_subquery(user), status)
    seen = Q(organization_id__in=scope.org_wide) if scope.org_wide else Q(pk__in=[])
    if scope.own_only:
        seen |= Q(organization_id__in=scope.own_only, submitted_by=user)
    return _portal_filtered(Order.objects.filter(seen), status)


@dataclass(frozen=True)
class _PortalScope:
    """The organizations whose every order a coordinator sees, and those where
    they see only the orders they submitted."""

    org_wide: frozenset[int]
    own_only: frozenset[int]

    def sees(self, order: Order, user) -> bool:
        """``orders_for_portal``'s filter, for one order read already."""
        return order.organization_id in self.org_wide or (
            order.organization_id in self.own_only and order.submitted_by_id == user.pk
        )


def _portal_scope(user) -> _PortalScope | None:
    """The coordinator's scope by organization ids, or None for someone who sees
    more than ``MAX_LISTED_ORGANIZATIONS`` (filtered through a subquery instead)."""
    visible = organizations_visible_to(user=user)
    access = _access(user)
    organization = user.organization if user.organization_id else None
    listed = list(visible.values_list("id", "portal_visibility")[: MAX_LISTED_ORGANIZATIONS + 1])
    if len(listed) > MAX_LISTED_ORGANIZATIONS:
        return None
    every = [pk for pk, _ in listed]
    if (
        organization is not None
        and access != PortalAccess.NONE
        and (
            organization.portal_visibility == PortalVisibility.ALL
            or organization.primary_contact_id == user.pk
        )
    ):
        # Open visibility, or the primary contact (copied on every request): all of them.
        org_wide = every
    elif access == PortalAccess.OWN or (
        organization is not None and organization.portal_visibility == PortalVisibility.OWN
    ):
        org_wide = []
    elif access == PortalAccess.ORGANIZATION:
        org_wide = [
            pk
            for pk, visibility in listed
            if pk == user.organization_id and visibility != PortalVisibility.OWN
        ]
    else:
        org_wide = [pk for pk, visibility in listed if visibility != PortalVisibility.OWN]
    # Elsewhere in the visible organizations: the coordinator's own orders only.
    shared = frozenset(org_wide)
    return _PortalScope(shared, frozenset(pk for pk in every if pk not in shared))


def _access(user) -> str:
    return portal_access_of(user) if not user.is_superuser else PortalAccess.ORGANIZATION_SUBS


def _portal_filtered(orders: QuerySet[Order], status: str) -> QuerySet[Order]:
    orders = orders.select_related(
        "organization", "submitted_by", "existing_user", "existing_placeholder"
    ).order_by("-created_at", "-id")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    return orders


def _orders_for_portal_subquery(user) -> QuerySet[Order]:
    """``orders_for_portal``'s filter through a subquery of the visible organizations
    (for people who see very many: staff roles, superusers)."""
    visible, access = organizations_visible_to(user=user), _access(user)
    own = Q(organization__in=visible, submitted_by=user)
    organization = user.organization if user.organization_id else None
    if (
        organization is not None
        and access != PortalAccess.NONE
        and (
            organization.portal_visibility == PortalVisibility.ALL
            or organization.primary_contact_id == user.pk
        )
    ):
        org_wide = Q(organization__in=visible)
    elif access == PortalAccess.OWN or (
        organization is not None and organization.portal_visibility == PortalVisibility.OWN
    ):
        org_wide = Q(pk__in=[])
    elif access == PortalAccess.ORGANIZATION:
        org_wide = Q(organization_id=user.organization_id) & ~Q(
            organization__portal_visibility=PortalVisibility.OWN
        )
    else:
        org_wide = Q(organization__in=visible) & ~Q(
            organization__portal_visibility=PortalVisibility.OWN
        )
    return Order.objects.filter(org_wide | own)


@Prepared
def _actions(order_id: int) -> QuerySet[OrderAction]:
    return OrderAction.objects.filter(order_id=order_id).order_by("position")


@Prepared
def _portal_order(number: int) -> QuerySet[Order]:
    return _portal_filtered(Order.objects.filter(number=number), "")


def order_get_for_portal(*, user, number: int) -> Order | None:
    """One order the coordinator may see, or None; ``order.actions.all()`` is read
    already, in order. The order is read by number (compiled once,
    ``common.prepared``) and checked against the coordinator's scope."""
    if not user_is_coordinator(user):
        return None
    scope = _portal_scope(user)
    if scope is None:
        order = orders_for_portal(user=user).filter(number=number).first()
    else:
        order = _portal_order.first(number=number)
        order = order if order is not None and scope.sees(order, user) else None
    if order is None:
        return None
    prefetched_set(order, "actions", _actions.all(order_id=order.pk))
    return with_software(order)


def with_software(order: Order) -> Order:
    """``order`` with its software read (one query) when its type requests software;
    other types have none, so their pages ask nothing (issue #17)."""
    if order.order_type == OrderType.INSTALL_SOFTWARE:
        prefetch_related_objects([order], "software")
    else:
        cache = getattr(order, "_prefetched_objects_cache", {})
        order._prefetched_objects_cache = {**cache, "software": order.software.none()}
    return order


def _client_messages(order_id: int) -> QuerySet[OrderMessage]:
    return (
        OrderMessage.objects.filter(order_id=order_id, kind__in=CLIENT_VISIBLE_MESSAGE_KINDS)
        .select_related("author", "quoted")
        .prefetch_related("attachments")
    )


def order_messages_for_client(*, order: Order) -> QuerySet[OrderMessage]:
    """The messages the coordinator sees, oldest first."""
    return _client_messages(order.pk).order_by("created_at", "id")


@Prepared
def _client_thread_newest_first(order_id: int) -> QuerySet[OrderMessage]:
    return _client_messages(order_id).order_by("-created_at", "-id")


def client_thread(*, order: Order) -> Bound:
    """The messages the coordinator sees, newest first (slice it for a page of the
    portal's thread; compiled once per process, ``common.prepared``)."""
    return _client_thread_newest_first.bind(order_id=order.pk)


def order_user_choices(*, organization) -> QuerySet[User]:
    """People of the organization (and its sub-organizations) an order may be about."""
    ids = organization_descendant_ids(organization_ids=[organization.pk])
    return User.objects.filter(organization_id__in=ids, is_active=True).order_by(
        "full_name", "email"
    )


def placeholders_available(*, organization) -> QuerySet[WorkstationPlaceholder]:
    """Parked workstations offered as an "existing user" in later orders."""
    ids = organization_descendant_ids(organization_ids=[organization.pk])
    return WorkstationPlaceholder.objects.filter(organization_id__in=ids, active=True).order_by(
        "name"
    )


def software_choices() -> QuerySet[InstallableSoftware]:
    return InstallableSoftware.objects.filter(active=True).order_by("name")


def orders_for_staff(*, user, queue_id=None, status: str | None = None) -> QuerySet[Order]:
    """Every order for orders staff (none for anyone else), filtered by queue and status."""
    if not user_is_orders_staff(user):
        return Order.objects.none()
    qs = Order.objects.select_related("organization", "owner", "queue", "submitted_by")
    if queue_id:
        qs = qs.filter(queue_id=queue_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def order_status_counts(*, queue_id=None) -> dict[str, int]:
    """Orders per status (all statuses present, zero when none), one query."""
    qs = Order.objects.all()
    if queue_id:
        qs = qs.filter(queue_id=queue_id)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status.value: counts.get(status.value, 0) for status in OrderStatus}


def order_queues_with_counts() -> QuerySet[OrderQueue]:
    """Queues with their open-order count and action templates, two queries."""
    open_statuses = [OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD]
    return (
        OrderQueue.objects.annotate(
            open_count=Count("orders", filter=Q(orders__status__in=open_statuses))
        )
        .select_related("default_owner")
        .prefetch_related("action_templates")
        .order_by("name")
    )


def order_queues_active() -> list[OrderQueue]:
    """Every active queue (few), for checking which order types are taken."""
    return list(OrderQueue.objects.filter(active=True).order_by("pk"))


def order_for_link(*, order_id: int) -> Order | None:
    """The order an emailed link points at, with what its pages show (the link is the key)."""
    return (
        Order.objects.select_related("organization", "existing_user", "owner")
        .filter(pk=order_id)
        .first()
    )
