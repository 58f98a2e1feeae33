"""What a signed-in session remembers about itself, and when it ends.

Set once at sign-in (accounts.adapters.AccountAdapter.post_login, which every
allauth sign-in passes through): when it started, when it was last used, and
whether a staff member still has to enrol a second factor. The middleware
reads only the session, so pages pay no extra query for these rules.
"""

from __future__ import annotations

import time

from django.conf import settings

from .selectors import user_has_second_factor, user_is_staff_member

STARTED = "handover_started"
SEEN = "handover_seen"
MFA_ENROL = "handover_mfa_enrol"
# Refresh the "last seen" stamp at most this often (a session write each time).
SEEN_RESOLUTION_SECONDS = 60


def session_start(*, request, user, idp_mfa: bool) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now
    if (
        settings.STAFF_MFA_REQUIRED
        and user_is_staff_member(user)
        and not idp_mfa
        and not user_has_second_factor(user)
    ):
        request.session[MFA_ENROL] = True
    else:
        request.session.pop(MFA_ENROL, None)


def session_end_reason(session, *, now: float | None = None) -> str:
    """Why this session must end now ("" while it may go on)."""
    started = session.get(STARTED)
    if started is None:
        return ""
    now = time.time() if now is None else now
    if now - started > settings.SESSION_MAX_HOURS * 3600:
        hours = f"{settings.SESSION_MAX_HOURS:g}"
        return f"You were signed out: sessions last {hours} hours. Please sign in again."
    if now - session.get(SEEN, started) > settings.SESSION_IDLE_MINUTES * 60:
        minutes = f"{settings.SESSION_IDLE_MINUTES:g}"
        return (
            f"You were signed out after {minutes} minutes without activity. Please sign in again."
        )
    return ""


def session_touch(session, *, now: float | None = None) -> None:
    now = int(time.time() if now is None else now)
    if session.get(STARTED) is not None and now - session.get(SEEN, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN] = now


def mfa_enrolment_pending(*, request) -> bool:
    """True while a staff member who signed in without a second factor has none.

    Asks the database only while the flag is up (those people reach nothing
    but the enrolment pages); once they enrolled the flag is dropped.
    """
    if not request.session.get(MFA_ENROL):
        return False
    if user_has_second_factor(request.user):
        request.session.pop(MFA_ENROL, None)
        return False
    return True
