"""Identity: sign-in, single sign-on (OIDC, SAML), MFA and session limits (django-allauth)."""

from .base import DEBUG, SITE_NAME, env

# --- Identity (issue 14): sign-in, single sign-on, MFA, sessions ------------
# django-allauth runs every sign-in (local email + password, OpenID Connect,
# SAML) so the MFA step and the rate limits apply to all of them. See README
# "Connect your identity provider".
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Wrong passwords: per client address and per account; a few in a row for one
# account are slowed first (3 in 30 s: "wait N seconds"), then the account is
# locked for the long window even with the right password. Reset requests too.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,3/30s/key,5/15m/key"),
    "reset_password": env.str("RATE_LIMIT_PASSWORD_RESET", default="10/m/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Client address behind proxies: X-Forwarded-For is trusted only through this
# many proxies (0: REMOTE_ADDR). Shared with the emailed-link rate limit.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_ONLY = False

OIDC_ISSUER_URL = env.str("OIDC_ISSUER_URL", default="").rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_EXTRA_SCOPES = env.list("OIDC_EXTRA_SCOPES", default=[])
OIDC_NAME = env.str("OIDC_NAME", default="your institution")
SAML_METADATA_URL = env.str("SAML_METADATA_URL", default="")
SAML_ENTITY_ID = env.str("SAML_ENTITY_ID", default="")
SAML_NAME = env.str("SAML_NAME", default="your institution (SAML)")
# Claim (OIDC) or attribute (SAML) listing the person's IdP groups; mapped to
# roles by the "Identity provider group" rows staff edit in the admin.
SSO_GROUPS_CLAIM = env.str("SSO_GROUPS_CLAIM", default="groups")
# amr values that mean the IdP already did a second factor (RFC 8176).
SSO_MFA_AMR_VALUES = env.list(
    "SSO_MFA_AMR_VALUES", default=["mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "sc"]
)
# With SSO on, who may still use a local password: "superusers" (break-glass,
# audited) or "everyone".
SSO_LOCAL_LOGIN = env.str("SSO_LOCAL_LOGIN", default="superusers")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_ISSUER_URL and OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "VERIFIED_EMAIL": True,
        "APPS": [
            {
                "provider_id": "idp",
                "name": OIDC_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {
                    "server_url": OIDC_ISSUER_URL,
                    "scope": ["openid", "profile", "email", *OIDC_EXTRA_SCOPES],
                },
            }
        ],
    }
_SAML_UID = "urn:oid:0.9.2342.19200300.100.1.1"  # uid
_SAML_MAIL = "urn:oid:0.9.2342.19200300.100.1.3"  # mail
if SAML_METADATA_URL:
    SOCIALACCOUNT_PROVIDERS["saml"] = {
        "VERIFIED_EMAIL": True,
        "APPS": [
            {
                "provider_id": "idp-saml",
                "name": SAML_NAME,
                "client_id": "idp",
                "settings": {
                    "attribute_mapping": {
                        "uid": env.str("SAML_UID_ATTRIBUTE", default=_SAML_UID),
                        "email": env.str("SAML_EMAIL_ATTRIBUTE", default=_SAML_MAIL),
                        "first_name": "urn:oid:2.5.4.42",
                        "last_name": "urn:oid:2.5.4.4",
                    },
                    "idp": {"entity_id": SAML_ENTITY_ID, "metadata_url": SAML_METADATA_URL},
                    "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True},
                },
            }
        ],
    }

# MFA: staff roles must enrol before reaching staff pages or the admin
# (accounts.middleware.StaffMfaMiddleware); coordinators may. Off by default
# only with DEBUG on (the `make run` demo; config/settings_test.py keeps it on); a deploy check
# flags it off.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=not DEBUG)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_PASSKEY_LOGIN_ENABLED = False
# allauth would ask for the password again before enrolling; people who sign
# in only through the IdP have none, and staff enrol right after signing in.
MFA_REAUTHENTICATION_REQUIRED = False

# Sessions: signed-in people are signed out after SESSION_MAX_HOURS and after
# SESSION_IDLE_MINUTES without a request. Customers have no session: their
# emailed link is their key.
SESSION_MAX_HOURS = env.float("SESSION_MAX_HOURS", default=8)
SESSION_IDLE_MINUTES = env.float("SESSION_IDLE_MINUTES", default=30)
# accounts.middleware.SessionLimitsMiddleware enforces both limits on every
# request; the cookie itself lives only as long as the browser.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
