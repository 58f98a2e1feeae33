"""The TeamDynamix tenant's configuration: which IDs Handover sends, read from settings.

Status, type, form, account and group IDs differ per tenant, so nothing here
has an invented default. ``TDXConfig.problems()`` lists what is missing; the
client refuses to start while the list is not empty, and the deploy check
(``integrations.checks``) reports the same list. ``manage.py itsm_check``
then asks the tenant whether each configured ID exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from django.conf import settings

from ..protocol import TicketKind, TicketState

REQUESTOR_POLICIES = ("refuse", "create")
ATTRIBUTES_FOR_EVERY_KIND = "all"
# Documented per-method limits (calls per 60 s window); every other method: 60.
DEFAULT_RATE_LIMITS = {"POST.tickets": 30}
DEFAULT_CALLS_PER_WINDOW = 60


# --- TDX vocabulary ------------------------------------------------------------
# TeamDynamix.Api.Statuses.StatusClass, as the API sends it (an integer).
STATUS_CLASSES = {
    1: TicketState.NEW,  # New
    2: TicketState.IN_PROCESS,  # In process
    3: TicketState.CLOSED,  # Completed
    4: TicketState.CANCELLED,  # Cancelled
    5: TicketState.ON_HOLD,  # On hold
    6: TicketState.NEW,  # Requested
}
STATUS_CLASS_NAMES = {
    1: "New",
    2: "In process",
    3: "Completed",
    4: "Cancelled",
    5: "On hold",
    6: "Requested",
}
_CLASS_BY_NAME = {name.replace(" ", "").lower(): n for n, name in STATUS_CLASS_NAMES.items()}


def status_class(value) -> int | None:
    """The integer StatusClass from a ticket or status body (names accepted too)."""
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        return _CLASS_BY_NAME.get(value.replace(" ", "").lower())
    return None


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # kept as given; problems() names it


def _int_map(value) -> dict:
    return {str(k): _int_or_none(v) for k, v in (value or {}).items()}


def web_path_for(api_path: str) -> str:
    """The staff UI path next to an API path: TDWebApi → TDNext, SBTDWebApi → SBTDNext."""
    if api_path.endswith("WebApi"):
        return api_path[: -len("WebApi")] + "Next"
    return "TDNext"


@dataclass(frozen=True)
class TDXConfig:
    base_url: str = ""
    api_path: str = "TDWebApi"
    web_path: str = ""
    beid: str = ""
    web_services_key: str = ""
    app_id: int | None = None
    asset_app_id: int | None = None
    status_ids: dict = field(default_factory=dict)
    type_ids: dict = field(default_factory=dict)
    form_ids: dict = field(default_factory=dict)
    account_id: int | None = None
    account_ids: dict = field(default_factory=dict)
    prefer_requestor_account: bool = False
    priority_id: int | None = None
    source_id: int | None = None
    group_ids: dict = field(default_factory=dict)
    default_group_id: int | None = None
    location_ids: dict = field(default_factory=dict)
    default_location_id: int | None = None
    attributes: dict = field(default_factory=dict)
    marker_attribute_id: int | None = None
    requestor_policy: str = "refuse"
    default_requestor_uid: str = ""
    task_minutes: dict = field(default_factory=dict)
    task_default_minutes: int = 30
    rate_limits: dict = field(default_factory=dict)
    timeout: tuple = (5, 30)
    max_inline_wait: float = 10

    @classmethod
    def from_settings(cls, **overrides) -> TDXConfig:
        """Every ``TDX_*`` setting; keyword arguments that are not None win."""

        def get(name, default=None):
            value = getattr(settings, f"TDX_{name.upper()}", None)
            return default if value in (None, "") else value

        api_path = str(get("api_path", "TDWebApi")).strip("/")
        values = {
            "base_url": str(get("base_url", "")).rstrip("/"),
            "api_path": api_path,
            "web_path": str(get("web_path", "") or web_path_for(api_path)).strip("/"),
            "beid": get("beid", ""),
            "web_services_key": get("web_services_key", ""),
            "app_id": _int_or_none(get("app_id")),
            "asset_app_id": _int_or_none(get("asset_app_id")),
            "status_ids": _int_map(get("status_ids", {})),
            "type_ids": _int_map(get("type_ids", {})),
            "form_ids": _int_map(get("form_ids", {})),
            "account_id": _int_or_none(get("account_id")),
            "account_ids": _int_map(get("account_ids", {})),
            "prefer_requestor_account": bool(get("prefer_requestor_account", False)),
            "priority_id": _int_or_none(get("priority_id")),
            "source_id": _int_or_none(get("source_id")),
            "group_ids": _int_map(get("group_ids", {})),
            "default_group_id": _int_or_none(get("default_group_id")),
            "location_ids": _int_map(get("location_ids", {})),
            "default_location_id": _int_or_none(get("default_location_id")),
            "attributes": {
                str(kind): {str(k): str(v) for k, v in (attrs or {}).items()}
                for kind, attrs in (get("attributes", {}) or {}).items()
            },
            "marker_attribute_id": _int_or_none(get("marker_attribute_id")),
            "requestor_policy": str(get("requestor_policy", "refuse")).lower(),
            "default_requestor_uid": str(get("default_requestor_uid", "")),
            "task_minutes": _int_map(get("task_minutes", {})),
            "task_default_minutes": _int_or_none(get("task_default_minutes", 30)),
            "rate_limits": {**DEFAULT_RATE_LIMITS, **_int_map(get("rate_limits", {}))},
            "timeout": tuple(get("timeout_seconds", (5, 30))),
            "max_inline_wait": float(get("max_inline_wait_seconds", 10)),
        }
        names = {f.name for f in fields(cls)}
        values.update({k: v for k, v in overrides.items() if k in names and v is not None})
        if overrides.get("api_path") and not overrides.get("web_path"):
            values["web_path"] = web_path_for(values["api_path"])
        return cls(**values)

    @property
    def api_root(self) -> str:
        return f"{self.base_url}/{self.api_path}/api"

    def limit_for(self, bucket: str) -> int:
        return int(self.rate_limits.get(bucket) or DEFAULT_CALLS_PER_WINDOW)

    def status_id(self, state: str) -> int:
        return self.status_ids[state]

    def problems(self) -> list[str]:
        """What stops the client from creating tickets on a real tenant, in words."""
        found = []
        for name in ("base_url", "beid", "web_services_key", "api_path"):
            if not getattr(self, name):
                found.append(f"TDX_{name.upper()} is not set")
        for name in ("app_id", "asset_app_id"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                found.append(f"TDX_{name.upper()} must be the application's number")
        found += _missing("TDX_STATUS_IDS", self.status_ids, TicketState.ALL, "status ID")
        found += _missing("TDX_TYPE_IDS", self.type_ids, TicketKind.ALL, "ticket type ID")
        for state in (TicketState.INSTALLED, TicketState.CLOSED):
            sid = self.status_ids.get(state)
            shared = sorted(s for s, v in self.status_ids.items() if v == sid and s != state)
            if sid is not None and shared:
                found.append(
                    f"TDX_STATUS_IDS gives {state!r} the same ID ({sid}) as {', '.join(shared)}: "
                    f"polling could not tell {state} apart"
                )
        for setting, mapping in (
            ("TDX_FORM_IDS", self.form_ids),
            ("TDX_ACCOUNT_IDS", self.account_ids),
            ("TDX_GROUP_IDS", self.group_ids),
            ("TDX_LOCATION_IDS", self.location_ids),
            ("TDX_TASK_MINUTES", self.task_minutes),
            ("TDX_RATE_LIMITS", self.rate_limits),
        ):
            found += [
                f"{setting}[{k!r}] must be a number, not {v!r}"
                for k, v in mapping.items()
                if not isinstance(v, int)
            ]
        unknown_forms = sorted(set(self.form_ids) - set(TicketKind.ALL))
        if unknown_forms:
            found.append(f"TDX_FORM_IDS has unknown ticket kinds: {', '.join(unknown_forms)}")
        for name in (
            "task_default_minutes",
            "account_id",
            "priority_id",
            "source_id",
            "default_group_id",
            "default_location_id",
            "marker_attribute_id",
        ):
            value = getattr(self, name)
            if value is not None and not isinstance(value, int):
                found.append(f"TDX_{name.upper()} must be a number, not {value!r}")
        if self.account_id is None and not self.account_ids and not self.prefer_requestor_account:
            found.append(
                "no account: set TDX_ACCOUNT_ID (or TDX_ACCOUNT_IDS per organization), "
                "or TDX_PREFER_REQUESTOR_ACCOUNT=true to use each requestor's own account"
            )
        if self.requestor_policy not in REQUESTOR_POLICIES:
            found.append(
                f"TDX_REQUESTOR_POLICY must be one of {', '.join(REQUESTOR_POLICIES)}, "
                f"not {self.requestor_policy!r}"
            )
        if not self.default_requestor_uid:
            found.append(
                "TDX_DEFAULT_REQUESTOR_UID is not set (the person who requests tickets "
                "that have no customer, e.g. lab machines)"
            )
        for kind, attrs in self.attributes.items():
            if kind != ATTRIBUTES_FOR_EVERY_KIND and kind not in TicketKind.ALL:
                found.append(f"TDX_ATTRIBUTES has an unknown ticket kind {kind!r}")
            found += [
                f"TDX_ATTRIBUTES[{kind!r}] key {k!r} must be a custom attribute ID"
                for k in attrs
                if not k.isdigit()
            ]
        return found


def _missing(setting: str, mapping: dict, keys, what: str) -> list[str]:
    problems = [f"{setting} has no {what} for {key!r}" for key in keys if key not in mapping]
    problems += [
        f"{setting}[{key!r}] must be a number, not {value!r}"
        for key, value in mapping.items()
        if key in keys and not isinstance(value, int)
    ]
    unknown = sorted(set(mapping) - set(keys))
    if unknown:
        problems.append(f"{setting} has unknown keys: {', '.join(unknown)}")
    return problems
