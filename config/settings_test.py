"""Settings for the test suite: the base settings plus what tests need.

pytest uses this module (``DJANGO_SETTINGS_MODULE`` in pyproject.toml); the
base module never asks whether it runs under a test runner. Everything else
(``DATABASE_URL``, ``REDIS_URL``, ...) still comes from the environment, so
the suite runs on SQLite by default and on PostgreSQL and Redis in CI.
"""

import os

# The base module refuses to start without a secret when DEBUG is off; tests
# run with DEBUG off, so they bring a (useless) secret of their own.
os.environ.setdefault("SECRET_KEY", "insecure-test-only-key-" + "t" * 40)

from .settings import *  # noqa: E402,F403
from .settings import env  # noqa: E402

# Fast hashing: thousands of users are made with passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Templates render {% static %} without a collectstatic manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The test client and the browser tests speak plain http on localhost.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# A fixed key for end users' secrets (tests that rotate keys set their own).
FERNET_KEYS = env.list("FERNET_KEYS", default=["dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhISE="])

# Staff enrol a second factor in tests as in production, whatever DEBUG says;
# WebAuthn accepts the test server's http origin.
STAFF_MFA_REQUIRED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
