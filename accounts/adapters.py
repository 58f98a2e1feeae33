"""How django-allauth signs people in here (settings ACCOUNT_ADAPTER / SOCIALACCOUNT_ADAPTER).

Local accounts are created by IT or by single sign-on, never by a sign-up
form. A single sign-on places a new person in the organization of their email
domain, sets their roles from the IdP's group claim, and tells whether the
IdP already did a second factor (``amr``), so staff are not asked twice.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from common.http import client_ip

from . import sessions
from .models import SignInRecord
from .selectors import organization_for_email
from .services import sign_in_record, user_sync_idp_roles
from .throttle import sign_in_wait

SSO_SESSION_KEY = "handover_sso"


def sso_is_configured() -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS)


def claims_of(sociallogin) -> dict:
    """The person's claims from the IdP: OIDC userinfo + ID token, or SAML attributes."""
    data = sociallogin.account.extra_data or {}
    if "userinfo" in data or "id_token" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return data


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email address and password do not match an active account."
        ),
        "too_many_login_attempts": (
            "Too many failed sign-in attempts. This account is locked for a while: "
            "try again in 15 minutes, or reset your password."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """allauth's wrong-password limits, refused with how long to wait: a short
        "slow down" after a few failures, then the lock (RATE_LIMIT_LOGIN_FAILED)."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            wait = sign_in_wait(request, key=key)
            if wait is None:
                raise
            raise ValidationError(wait.message, code="too_many_login_attempts") from None

    def get_login_stages(self):
        return [
            "accounts.adapters.IdpAwareMfaStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def post_login(self, request, user, **kwargs):
        sso = request.session.pop(SSO_SESSION_KEY, None)
        idp_mfa = bool(sso and sso.get("idp_mfa"))
        if sso and sso.get("groups") is not None:
            user_sync_idp_roles(user=user, groups=sso["groups"])
        break_glass = sso is None and sso_is_configured()
        sign_in_record(
            user=user,
            method=SignInRecord.Method.SSO if sso else SignInRecord.Method.PASSWORD,
            break_glass=break_glass,
            idp_mfa=idp_mfa,
            client_ip=client_ip(request),
        )
        sessions.session_start(request=request, user=user, idp_mfa=idp_mfa)
        return super().post_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True

    def pre_social_login(self, request, sociallogin):
        claims = claims_of(sociallogin)
        groups_claim = settings.SSO_GROUPS_CLAIM
        amr = set(_as_list(claims.get("amr")))
        request.session[SSO_SESSION_KEY] = {
            "groups": _as_list(claims[groups_claim]) if groups_claim in claims else None,
            "idp_mfa": bool(amr & set(settings.SSO_MFA_AMR_VALUES)),
        }

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "")[:200]
        return user

    def save_user(self, request, sociallogin, form=None):
        """Just-in-time user: placed in the organization of their email domain."""
        user = sociallogin.user
        if user.organization_id is None:
            user.organization = organization_for_email(email=user.email)
        return super().save_user(request, sociallogin, form=form)


class IdpAwareMfaStage(AuthenticateStage):
    """allauth's second-factor step, skipped when the IdP says it did MFA."""

    def _should_handle(self, request) -> bool:
        sso = request.session.get(SSO_SESSION_KEY) or {}
        if sso.get("idp_mfa"):
            return False
        return super()._should_handle(request)
