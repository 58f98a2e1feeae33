"""Handover settings: one file, driven by the environment (django-environ).

With no environment at all it runs embedded: SQLite and the Celery broker live
under ``var/``, email goes to the console and the outbound log. Production sets
``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and an
anymail ``EMAIL_BACKEND``; see README.md for the table of variables.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# `.env` first, so every variable below (HANDOVER_VAR_DIR included) may come
# from it; a variable set in the real environment still wins.
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

# Where the embedded mode writes (SQLite, broker folders, media, beat schedule).
# Only named here: the processes that write create it (config/var.py).
VAR_DIR = Path(env.str("HANDOVER_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base URL used in emailed links (no request is around in a job).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Handover"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_fsm",
    "common",
    "accounts",
    "notifications",
    "integrations",
    "scheduling",
    "refresh",
    "orders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "webhooks",
    # --- Identity (issue 14): django-allauth for sign-in, SSO and MFA -------
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "health_check",
    "reports",
]

MIDDLEWARE = [
    "common.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.headers.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # --- Identity (issue 14) ----------------------------------------------
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.StaffMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text emails (subjects and bodies): same templates, no HTML escaping.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'handover.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file in the embedded mode: WAL and an
    # IMMEDIATE write lock keep them from tripping over "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache (link rate limits, the business calendar's version stamp). Use a
# Redis database of its own in production, e.g. redis://redis:6379/1.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://handover")}

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
# Wrong passwords: per client address and per account; a locked account stays
# locked for the window even with the right password. Reset requests too.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/15m/key"),
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

# --- I18N / time ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Detroit")
USE_I18N = True
USE_TZ = True

# Business calendar (scheduling/calendar.py).
BUSINESS_HOLIDAYS_COUNTRY = env.str("BUSINESS_HOLIDAYS_COUNTRY", default="US")
BUSINESS_HOLIDAYS_SUBDIV = env.str("BUSINESS_HOLIDAYS_SUBDIV", default="MI")
SLOT_HORIZON_DAYS = env.int("SLOT_HORIZON_DAYS", default=35)
# What happens to a booking when a slot admin deletes its slot, by the booked
# model's "app_label.model": a service called as handler(booking=..., by=...)
# inside the deletion's transaction, returning True when a customer was asked
# for a new time. Wired here because scheduling sits below the apps it books.
SCHEDULING_SLOT_DELETED_HANDLERS = {
    "refresh.refreshticket": "refresh.services.ticket_booking_slot_deleted",
}

# --- Static and media --------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Handover <handover@example.edu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
ANYMAIL = env.json("ANYMAIL", default={})
MAC_ENGINEERING_EMAIL = env.str("MAC_ENGINEERING_EMAIL", default="mac-engineering@example.edu")

# --- Celery ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        # Poll the folder often: the embedded worker otherwise idles a second
        # between messages and a fresh demo takes minutes to settle.
        "polling_interval": 0.05,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Outside systems (integrations/) -----------------------------------------
ITSM_CLIENT = env.str("ITSM_CLIENT", default="integrations.itsm.stub.StubITSMClient")
SLACK_CLIENT = env.str("SLACK_CLIENT", default="integrations.slack.stub.StubSlackClient")
DIRECTORY_CLIENT = env.str(
    "DIRECTORY_CLIENT", default="integrations.directory.stub.StubDirectoryClient"
)

# --- TeamDynamix (TDX) ---------------------------------------------------------
# Read only when ITSM_CLIENT is integrations.itsm.tdx.TDXClient; the stub needs
# none of it. IDs differ per tenant: the client refuses to start (and
# `check --deploy` fails) until the required ones are set, and
# `manage.py itsm_check` says which exist. docs/integrations.md has the set-up.


def _tdx_json(name: str) -> dict:
    """A JSON object from the environment; empty means not set."""
    raw = env.str(name, default="").strip()
    if not raw:
        return {}
    try:
        value = env.json(name)
    except ValueError as exc:
        raise ImproperlyConfigured(f'{name} must be a JSON object, e.g. {{"new": 101}}.') from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {raw!r}.")
    return value


TDX_BASE_URL = env.str("TDX_BASE_URL", default="")  # https://yourschool.teamdynamix.com
TDX_API_PATH = env.str("TDX_API_PATH", default="TDWebApi")  # SBTDWebApi = sandbox
TDX_WEB_PATH = env.str("TDX_WEB_PATH", default="")  # staff links; TDNext/SBTDNext derived
TDX_BEID = env.str("TDX_BEID", default="")
TDX_WEB_SERVICES_KEY = env.str("TDX_WEB_SERVICES_KEY", default="")
TDX_APP_ID = env.str("TDX_APP_ID", default="")  # the tickets application
TDX_ASSET_APP_ID = env.str("TDX_ASSET_APP_ID", default="")  # the assets application
# JSON maps. Required: every state → status ID, every ticket kind → type ID.
TDX_STATUS_IDS = _tdx_json("TDX_STATUS_IDS")  # {"new": 101, ..., "installed": 107}
TDX_TYPE_IDS = _tdx_json("TDX_TYPE_IDS")  # {"device_refresh": 12, ...}
TDX_FORM_IDS = _tdx_json("TDX_FORM_IDS")  # {"device_refresh": 55}
TDX_ACCOUNT_ID = env.str("TDX_ACCOUNT_ID", default="")  # or TDX_PREFER_REQUESTOR_ACCOUNT
TDX_ACCOUNT_IDS = _tdx_json("TDX_ACCOUNT_IDS")  # organization name → account ID
TDX_PREFER_REQUESTOR_ACCOUNT = env.bool("TDX_PREFER_REQUESTOR_ACCOUNT", default=False)
TDX_PRIORITY_ID = env.str("TDX_PRIORITY_ID", default="")
TDX_SOURCE_ID = env.str("TDX_SOURCE_ID", default="")
TDX_GROUP_IDS = _tdx_json("TDX_GROUP_IDS")  # support team name → group ID
TDX_DEFAULT_GROUP_ID = env.str("TDX_DEFAULT_GROUP_ID", default="")
TDX_LOCATION_IDS = _tdx_json("TDX_LOCATION_IDS")  # building → location ID
TDX_DEFAULT_LOCATION_ID = env.str("TDX_DEFAULT_LOCATION_ID", default="")
TDX_ATTRIBUTES = _tdx_json("TDX_ATTRIBUTES")  # {"all": {"5501": "{reference}"}}
TDX_MARKER_ATTRIBUTE_ID = env.str("TDX_MARKER_ATTRIBUTE_ID", default="")
TDX_REQUESTOR_POLICY = env.str("TDX_REQUESTOR_POLICY", default="refuse")  # or "create"
TDX_DEFAULT_REQUESTOR_UID = env.str("TDX_DEFAULT_REQUESTOR_UID", default="")
TDX_TASK_MINUTES = _tdx_json("TDX_TASK_MINUTES")  # task title → EstimatedMinutes
TDX_TASK_DEFAULT_MINUTES = env.str("TDX_TASK_DEFAULT_MINUTES", default="30")

# --- Secrets end users give us (orders) --------------------------------------
# Comma-separated Fernet keys, newest first; rotate by prepending a new key.
FERNET_KEYS = env.list("FERNET_KEYS", default=[])
END_USER_SECRET_RETENTION_DAYS = env.int("END_USER_SECRET_RETENTION_DAYS", default=7)
ACCESS_LINK_DAYS = env.int("ACCESS_LINK_DAYS", default=30)

# --- REST API (api/) and webhooks (webhooks/) --------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env.str("API_RATE_LIMIT", default="600/min")},
    "EXCEPTION_HANDLER": "api.exceptions.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Handover API",
    "DESCRIPTION": "Orders, device refresh and scheduling. See docs/api.md.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "refresh.choices.TicketStatus",
        "SystemStatusEnum": "refresh.choices.SystemStatus",
        "OrderStatusEnum": "orders.choices.OrderStatus",
        "ActionStatusEnum": "orders.choices.ActionStatus",
        "ActionKindEnum": "orders.choices.ActionKind",
        "MessageKindEnum": "orders.choices.MessageKind",
    },
}
# Outbound webhook deliveries: per-attempt timeout and the retry horizon.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_HOURS = env.int("WEBHOOK_RETRY_HOURS", default=24)

# --- Security ---------------------------------------------------------------
_secure_default = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_secure_default)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _secure_default else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure_default
SECURE_HSTS_PRELOAD = _secure_default
SESSION_COOKIE_SECURE = _secure_default
CSRF_COOKIE_SECURE = _secure_default
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- Content-Security-Policy and Permissions-Policy (issue 14 item 9) ---------
# Every script and stylesheet is a file under static/ (no CDN, no inline code,
# no style="" attributes, no inline event handlers), so no 'unsafe-inline'.
# The Django admin runs under the same policy. django-csp sends the header.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of Handover uses: denied to the page and any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Logging (issue 14): request ids, tokens masked, JSON on demand ------------
# LOG_FORMAT=json writes one JSON object per line (method, path, status,
# duration_ms, user_id, request_id); gunicorn's access log is masked too
# (config/gunicorn.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "common.logging.RequestIdFilter"},
        "redact_tokens": {"()": "common.logging.RedactTokensFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "common.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Request lines: the handover.request logger says the same, masked.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "handover.request": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
    },
}

# --- Error reporting (issue 14): Sentry when SENTRY_DSN is set ------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from common.logging import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        before_send=sentry_before_send,
    )
