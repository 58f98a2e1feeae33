"""The people who work orders: owners, follow-up assignees, planned-work owners.

Every staff order page offers them in its pickers. Who they are changes rarely
(someone joins or leaves the orders roles, is renamed or deactivated), so the
page reads them from the cache (``orders_staff_people``); the receivers below
forget the list when a user, a group membership or a permission changes, at once
and again when that transaction commits (a page read in between would cache the
old list). Listed in docs/architecture.md, "Signals". POSTs still validate
against the queryset (``orders_staff_users``).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import User
from common.cache import cache_delete, cache_get, cache_set

STAFF_PEOPLE_KEY = "orders:staff-people"
# A safety net only: every change that matters forgets the list at once.
STAFF_PEOPLE_SECONDS = 300


def orders_staff_users() -> QuerySet[User]:
    """Active people who may work orders (owners, follow-up assignees)."""
    perm = Q(
        groups__permissions__codename="work_order",
        groups__permissions__content_type__app_label="orders",
    ) | Q(
        user_permissions__codename="work_order",
        user_permissions__content_type__app_label="orders",
    )
    ids = User.objects.filter(perm | Q(is_superuser=True)).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("full_name", "email")


def orders_staff_people() -> list[User]:
    """``orders_staff_users()`` as a list, from the cache when it holds it (no query)."""
    people = cache_get(STAFF_PEOPLE_KEY)
    if people is None:
        people = list(orders_staff_users())
        cache_set(STAFF_PEOPLE_KEY, people, timeout=STAFF_PEOPLE_SECONDS, attempts=1)
    return people


def _forget_staff_people() -> None:
    cache_delete(STAFF_PEOPLE_KEY)


def staff_people_changed(**kwargs) -> None:
    """Receiver: who works orders, or how they are named, may have changed."""
    if kwargs.get("signal") is m2m_changed and not kwargs["action"].startswith("post_"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login", "access_stamp"}:
        return  # a sign-in or a permissions stamp: neither the name nor the roles
    _forget_staff_people()
    transaction.on_commit(_forget_staff_people)


def connect_staff_people_receivers() -> None:
    """Called once from ``OrdersConfig.ready``."""
    uid = "orders.staff_people"
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(staff_people_changed, sender=through, dispatch_uid=f"{uid}.{through}")
    post_save.connect(staff_people_changed, sender=User, dispatch_uid=f"{uid}.user_saved")
    for model in (User, Group, Permission):
        post_delete.connect(
            staff_people_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}_deleted"
        )
