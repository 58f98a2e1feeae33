"""The signed-in user, session limits and the staff second-factor gate (settings.MIDDLEWARE)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from . import sessions
from .access import user_access_attach


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the user's permissions, roles and navigation read from the
    cache in one step after the user row (accounts/access.py) instead of three
    queries on every request."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(
            lambda: user_access_attach(auth_middleware.get_user(request))
        )


class SessionLimitsMiddleware:
    """Sign out a session past SESSION_MAX_HOURS or idle past SESSION_IDLE_MINUTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = sessions.session_end_reason(request.session)
        if reason:
            logout(request)
            messages.info(request, reason)
            return redirect_to_login(request.get_full_path())
        sessions.session_touch(request.session)
        return self.get_response(request)


# Reachable while a staff member still has to enrol: the enrolment pages,
# sign-out, and assets.
MFA_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/health/")


class StaffMfaMiddleware:
    """Staff who signed in without a second factor enrol one before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(
            (*MFA_OPEN_PREFIXES, "/" + settings.STATIC_URL.lstrip("/"))
        ) and sessions.mfa_enrolment_pending(request=request):
            messages.warning(
                request,
                "Staff accounts need a second factor. Set up an authenticator app "
                "(or a security key) to continue.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
