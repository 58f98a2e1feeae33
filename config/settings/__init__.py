"""Handover settings, driven by the environment (django-environ).

One package, one module per concern; this module puts them together in order
(each reads what it needs from ``base``). ``DJANGO_SETTINGS_MODULE`` stays
``config.settings``; pytest uses ``config.settings_test`` on top of it.

With no environment at all it runs embedded: SQLite and the Celery broker live
under ``var/``, email goes to the console and the outbound log. Production sets
``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and an
anymail ``EMAIL_BACKEND``; see README.md for the table of variables.
"""

from .api import *  # noqa: F403
from .base import *  # noqa: F403
from .identity import *  # noqa: F403
from .integrations import *  # noqa: F403
from .security import *  # noqa: F403
