"""The one gate for role-restricted views.

``@role_required("orders.work_order")`` on a function view, or
``RoleRequiredMixin`` with ``permission_required = ...`` on a class view:
anonymous people are sent to sign in, signed-in people without the permission
(or failing ``check``) get 403 with a reason. Object scoping (which
organization, config or team) stays in the selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

Check = Callable[[object], bool]


def user_passes(user, perms: Iterable[str], check: Check | None) -> bool:
    """True when an active signed-in ``user`` has every one of ``perms`` and passes ``check``."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if perms and not user.has_perms(list(perms)):
        return False
    return check is None or bool(check(user))


def role_required(*perms: str, check: Check | None = None, message: str = ""):
    """Decorate a view so only people with ``perms`` (and passing ``check``) reach it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_passes(request.user, perms, check):
                raise PermissionDenied(message or "Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based twin of :func:`role_required`."""

    permission_required: str | Iterable[str] = ()
    role_check: Check | None = None
    permission_denied_message = "Your role does not give access to this page."
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        perms = (
            (self.permission_required,)
            if isinstance(self.permission_required, str)
            else tuple(self.permission_required)
        )
        check = type(self).role_check
        if not user_passes(request.user, perms, check):
            raise PermissionDenied(self.get_permission_denied_message())
        return super().dispatch(request, *args, **kwargs)
