"""``manage.py itsm_check`` for TeamDynamix: does the tenant know every configured ID?

Signs in, reads the tickets application's statuses, types, forms, priorities
and sources, then each configured group, account, location, custom attribute
and the default requestor, and says for every configured value whether it
exists and what it is called in TDX.
"""

from __future__ import annotations

from ..protocol import CheckLine, CheckReport, ITSMError, ITSMNotFound, TicketKind, TicketState
from .config import STATUS_CLASS_NAMES, status_class

NOT_SET = "(not set)"


class _Checker:
    def __init__(self, client):
        """``client`` is a ``TDXClient`` (not imported: it imports this module)."""
        self.client = client
        self.cfg = client.config
        self.lines: list[CheckLine] = []
        self.problems: list[str] = list(client.problems)
        self.class_name = lambda row: STATUS_CLASS_NAMES.get(
            status_class(row.get("StatusClass")), "unknown class"
        )
        self.status_class = status_class

    def listing(self, path: str, what: str) -> dict | None:
        try:
            rows = self.client._request("GET", path, bucket=f"GET.{what.replace(' ', '-')}")
        except ITSMError as exc:
            self.problems.append(f"Could not read the {what}: {exc}")
            return None
        return {row.get("ID"): row for row in rows or []}

    def single(self, path: str, what: str) -> dict | None:
        try:
            return self.client._request("GET", path, bucket=f"GET.{what.replace(' ', '-')}") or {}
        except ITSMNotFound:
            return None
        except ITSMError as exc:
            self.problems.append(f"Could not read {path}: {exc}")
            return None

    def add(self, setting, key, value, row, maps_to=""):
        shown = NOT_SET if value is None else str(value)
        name = (row or {}).get("Name") or (row or {}).get("FullName") or ""
        self.lines.append(
            CheckLine(
                setting=setting,
                key=key,
                value=shown,
                found=row is not None and value is not None,
                maps_to=maps_to or name,
            )
        )

    def from_listing(self, setting, mapping: dict, keys, listing: dict | None):
        for key in keys:
            value = mapping.get(key)
            if listing is None:
                self.add(setting, key, value, None, "could not be read")
            else:
                self.add(setting, key, value, listing.get(value))

    def one_by_one(self, setting, mapping: dict, path: str, what: str):
        for key, value in mapping.items():
            row = self.single(path.format(id=value), what) if value is not None else None
            self.add(setting, key, value, row)

    def run(self) -> CheckReport:
        cfg, app = self.cfg, self.cfg.app_id
        service = (
            f"TeamDynamix at {cfg.api_root} (tickets app {app}, assets app {cfg.asset_app_id})"
        )
        try:
            self.client._bearer()
        except ITSMError as exc:
            self.problems.append(f"Sign-in failed: {exc}")
            return CheckReport(service=service, signed_in=False, problems=tuple(self.problems))

        statuses = self.listing(f"/{app}/tickets/statuses", "ticket statuses")
        for state in TicketState.ALL:
            value = cfg.status_ids.get(state)
            row = (statuses or {}).get(value)
            maps_to = f"{row.get('Name')} ({self.class_name(row)})" if row else ""
            self.add("TDX_STATUS_IDS", state, value, row if statuses is not None else None, maps_to)
            expected = _EXPECTED.get(state)
            if row and expected and self.status_class(row.get("StatusClass")) not in expected[0]:
                self.problems.append(
                    f"TDX_STATUS_IDS[{state!r}] = {value} is “{row.get('Name')}” "
                    f"(class {self.class_name(row)}); Handover needs a {expected[1]} status there"
                )
        types = self.listing(f"/{app}/tickets/types", "ticket types")
        self.from_listing("TDX_TYPE_IDS", cfg.type_ids, TicketKind.ALL, types)
        if cfg.form_ids:
            forms = self.listing(f"/{app}/tickets/forms", "ticket forms")
            self.from_listing("TDX_FORM_IDS", cfg.form_ids, cfg.form_ids, forms)
        if cfg.priority_id is not None:
            priorities = self.listing(f"/{app}/tickets/priorities", "ticket priorities")
            self.from_listing("TDX_PRIORITY_ID", {"": cfg.priority_id}, [""], priorities)
        if cfg.source_id is not None:
            sources = self.listing(f"/{app}/tickets/sources", "ticket sources")
            self.from_listing("TDX_SOURCE_ID", {"": cfg.source_id}, [""], sources)
        groups = {**cfg.group_ids}
        if cfg.default_group_id is not None:
            groups["(default)"] = cfg.default_group_id
        self.one_by_one("TDX_GROUP_IDS", groups, "/groups/{id}", "groups")
        accounts = {**cfg.account_ids}
        if cfg.account_id is not None:
            accounts["(default)"] = cfg.account_id
        self.one_by_one("TDX_ACCOUNT_IDS", accounts, "/accounts/{id}", "accounts")
        locations = {**cfg.location_ids}
        if cfg.default_location_id is not None:
            locations["(default)"] = cfg.default_location_id
        self.one_by_one("TDX_LOCATION_IDS", locations, "/locations/{id}", "locations")
        self.check_attributes()
        if cfg.default_requestor_uid:
            requestor = {"": cfg.default_requestor_uid}
            self.one_by_one("TDX_DEFAULT_REQUESTOR_UID", requestor, "/people/{id}", "people")
        return CheckReport(
            service=service,
            signed_in=True,
            lines=tuple(self.lines),
            problems=tuple(self.problems),
        )

    def check_attributes(self):
        cfg = self.cfg
        wanted = {
            f"{kind}:{attribute_id}": int(attribute_id)
            for kind, attrs in cfg.attributes.items()
            for attribute_id in attrs
            if attribute_id.isdigit()
        }
        if cfg.marker_attribute_id is not None:
            wanted["(marker)"] = cfg.marker_attribute_id
        if not wanted:
            return
        try:
            rows = self.client._request(
                "GET",
                "/attributes/custom",
                bucket="GET.attributes/custom",
                params={"componentId": 9, "associatedTypeId": 0, "appId": cfg.app_id},
            )
        except ITSMError as exc:
            self.problems.append(f"Could not read the ticket custom attributes: {exc}")
            rows = None
        known = {row.get("ID"): row for row in rows or []}
        for key, value in wanted.items():
            kind, _, _ = key.partition(":")
            template = cfg.attributes.get(kind, {}).get(key.partition(":")[2], "")
            row = known.get(value) if rows is not None else None
            maps_to = f"{row.get('Name')} ← {template}" if row and template else ""
            setting = "TDX_MARKER_ATTRIBUTE_ID" if key == "(marker)" else "TDX_ATTRIBUTES"
            self.add(setting, key if key != "(marker)" else "", value, row, maps_to)


_EXPECTED = {
    TicketState.CLOSED: ({3}, "Completed"),
    TicketState.CANCELLED: ({4}, "Cancelled"),
    TicketState.ON_HOLD: ({5}, "On hold"),
    TicketState.NEW: ({1, 6}, "New"),
}


def check_tenant(client) -> CheckReport:
    return _Checker(client).run()
