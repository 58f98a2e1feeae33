"""Deploy checks (``manage.py check --deploy``): settings that leak or lose data in production.

Each is an error only when DEBUG is off, so ``make run`` (DEBUG on) keeps its
console email and in-process cache. README.md's configuration table lists them.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register  # noqa: A004

CONSOLE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def handover_deploy_checks(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    if settings.EMAIL_BACKEND in CONSOLE_BACKENDS:
        errors.append(
            Error(
                "EMAIL_BACKEND writes emails (and the personal links in them) to the console "
                "or files, where logs keep them.",
                hint="Set EMAIL_BACKEND to SMTP or an anymail backend.",
                id="handover.E001",
            )
        )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in LOCAL_CACHES:
        errors.append(
            Error(
                "The default cache is in-process: rate limits (sign-in, links) and "
                "health stamps are not shared between processes.",
                hint="Set CACHE_URL to a Redis database, e.g. redis://redis:6379/1.",
                id="handover.E002",
            )
        )
    if not settings.FERNET_KEYS:
        errors.append(
            Error(
                "FERNET_KEYS is empty: end users' secrets cannot be encrypted.",
                hint="Set FERNET_KEYS to one or more keys from "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`.",
                id="handover.E003",
            )
        )
    oidc = {
        "OIDC_ISSUER_URL": settings.OIDC_ISSUER_URL,
        "OIDC_CLIENT_ID": settings.OIDC_CLIENT_ID,
        "OIDC_CLIENT_SECRET": settings.OIDC_CLIENT_SECRET,
    }
    if any(oidc.values()) and not all(oidc.values()):
        missing = ", ".join(name for name, value in oidc.items() if not value)
        errors.append(
            Error(
                f"Single sign-on is half configured: {missing} missing.",
                hint="Set all three OIDC_* variables, or none.",
                id="handover.E004",
            )
        )
    if bool(settings.SAML_METADATA_URL) != bool(settings.SAML_ENTITY_ID):
        errors.append(
            Error(
                "SAML is half configured: set both SAML_METADATA_URL and SAML_ENTITY_ID.",
                id="handover.E005",
            )
        )
    if not settings.STAFF_MFA_REQUIRED:
        errors.append(
            Warning(
                "STAFF_MFA_REQUIRED is off: staff reach staff pages and the admin "
                "without a second factor.",
                id="handover.W006",
            )
        )
    return errors
