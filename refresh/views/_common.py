from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from refresh.roles import can_administer, can_manage_configs, can_view_tickets

PAGE_SIZE = 50


def requires(check):
    """Deny by default: the view runs only when ``check(user)`` holds."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = requires(can_view_tickets)
administrator_required = requires(can_administer)
config_manager_required = requires(can_manage_configs)


def error_text(exc) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))
