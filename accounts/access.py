"""What a signed-in person may do, remembered between their requests.

Every page asks the same three things about the person: their permissions
(``has_perm``: two queries), their role names (``user_has_role``: one query)
and the header's navigation (built from both). None of them changes between
two requests unless someone changes the person's roles, so the
authentication middleware (``accounts.middleware.AuthenticationMiddleware``)
loads all three from the cache in one read, right after the user row.

The cache key holds the user's ``access_stamp``: a random value on the user
row, which comes fresh from the database with every request, and which the
signal receivers below replace whenever the person's groups, their direct
permissions, a group's permissions or a group's name change. A changed stamp
is a new key, so the next request reads the roles from the database again, in
every process, whatever cache backend runs (no invalidation message can get
lost). The flags that decide permissions on the row itself (active, superuser,
staff) are part of the key too. Entries expire after ``ACCESS_TTL`` seconds,
which bounds anything that changes roles without Django's signals (raw SQL).

Only the user the middleware loads for a request (and the user of an API
key, ``api.authentication``) is served from the cache; user objects built
anywhere else (services, tasks, tests) ask the database as Django always
does. The permissions are the ones Django's ModelBackend computes (both
configured backends are ModelBackends); a backend with other rules would need
its own entry here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.urls import get_script_prefix

from common.cache import cache_get, cache_set

from .models import User, new_access_stamp
from .nav import nav_entries_compute, nav_signature
from .roles import user_role_names

ACCESS_TTL = 300
_KEY_VERSION = 1
# Attributes that hold what was read for one request on a user object.
_REQUEST_ATTRS = (
    "_user_perm_cache",
    "_group_perm_cache",
    "_perm_cache",
    "_role_names_cache",
    "_access_nav",
)


@dataclass(frozen=True)
class Access:
    """One person's permissions, role group names and navigation entries."""

    user_permissions: frozenset[str]
    group_permissions: frozenset[str]
    role_names: frozenset[str]
    nav: tuple[tuple[str, str], ...]  # (label, url)


@functools.lru_cache(maxsize=8)
def _code_digest(script_prefix: str) -> str:
    """The navigation's code and the URL prefix: a deploy that changes either
    uses new keys."""
    text = f"{script_prefix}|{nav_signature()}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def access_key(user) -> str:
    flags = f"{user.is_active:d}{user.is_superuser:d}{user.is_staff:d}"
    digest = _code_digest(get_script_prefix())
    return f"access:{_KEY_VERSION}:{user.pk}:{user.access_stamp}:{flags}:{digest}"


def _access_compute(user) -> Access:
    """Ask the database (three queries) and build the navigation."""
    backend = ModelBackend()
    access = Access(
        user_permissions=frozenset(backend.get_user_permissions(user)),
        group_permissions=frozenset(backend.get_group_permissions(user)),
        role_names=frozenset(user_role_names(user)),
        nav=(),
    )
    _access_apply(user, access)
    # The navigation's visible() checks now read the sets just applied.
    access = dataclasses.replace(access, nav=nav_entries_compute(user))
    user._access_nav = access.nav
    return access


def _access_apply(user, access: Access) -> None:
    """Give ``user`` the attributes ModelBackend and ``user_has_role`` read first."""
    user._user_perm_cache = set(access.user_permissions)
    user._group_perm_cache = set(access.group_permissions)
    user._perm_cache = user._user_perm_cache | user._group_perm_cache
    user._role_names_cache = set(access.role_names)
    user._access_nav = access.nav


def user_access_attach(user):
    """``user`` (from the session) with its permissions, roles and navigation
    from the cache; on a miss from the database, then stored for the next request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return user
    key = access_key(user)
    access = cache_get(key)
    if isinstance(access, Access):
        _access_apply(user, access)
    else:
        cache_set(key, _access_compute(user), timeout=ACCESS_TTL, attempts=1)
    return user


# --- Renewing the stamp -----------------------------------------------------
# Receivers (listed in docs/architecture.md), connected in AccountsConfig.ready:
# whatever changes a person's roles or permissions renews their stamp in the
# same transaction, so their next request reads them from the database.


def access_renew(*, users) -> None:
    """New stamps for ``users`` (a User queryset, or one User, whose in-memory
    copy forgets what it read too)."""
    stamp = new_access_stamp()
    if isinstance(users, User):
        User.objects.filter(pk=users.pk).update(access_stamp=stamp)
        users.access_stamp = stamp
        for attr in _REQUEST_ATTRS:
            users.__dict__.pop(attr, None)
        return
    users.update(access_stamp=stamp)


def _user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.groups
        access_renew(users=instance)
    elif action == "pre_clear":  # group.user_set.clear()
        access_renew(users=User.objects.filter(groups=instance))
    else:
        access_renew(users=User.objects.filter(pk__in=pk_set))


def _user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.user_permissions
        access_renew(users=instance)
    elif action == "pre_clear":  # permission.user_set.clear()
        access_renew(users=User.objects.filter(user_permissions=instance))
    else:
        access_renew(users=User.objects.filter(pk__in=pk_set))


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # group.permissions: every member
        access_renew(users=User.objects.filter(groups=instance))
    elif action == "pre_clear":  # permission.group_set.clear()
        access_renew(users=User.objects.filter(groups__permissions=instance))
    else:
        access_renew(users=User.objects.filter(groups__in=pk_set))


def _group_saved(sender, instance, created, **kwargs):
    if not created:  # a renamed group is another role name
        access_renew(users=User.objects.filter(groups=instance))


def _group_deleted(sender, instance, **kwargs):
    access_renew(users=User.objects.filter(groups=instance))


def _permission_deleted(sender, instance, **kwargs):
    access_renew(
        users=User.objects.filter(Q(groups__permissions=instance) | Q(user_permissions=instance))
    )


def access_receivers_connect() -> None:
    uid = "accounts.access"
    m2m_changed.connect(
        _user_groups_changed, sender=User.groups.through, dispatch_uid=f"{uid}.groups"
    )
    m2m_changed.connect(
        _user_permissions_changed,
        sender=User.user_permissions.through,
        dispatch_uid=f"{uid}.user_permissions",
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid=f"{uid}.group_permissions",
    )
    post_save.connect(_group_saved, sender=Group, dispatch_uid=f"{uid}.group_saved")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid=f"{uid}.group_deleted")
    pre_delete.connect(
        _permission_deleted, sender=Permission, dispatch_uid=f"{uid}.permission_deleted"
    )
