"""Outside systems: the ITSM, Slack and directory clients, TeamDynamix ids, end-user secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import env

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
