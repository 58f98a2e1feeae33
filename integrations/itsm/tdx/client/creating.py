"""Creating TDX tickets once: attributes, the marker search after a lost answer, tasks."""

from __future__ import annotations

from ...protocol import (
    ITSMTask,
    ITSMTicket,
    NewTicket,
    PermanentITSMError,
    clip_title,
    describe,
    has_marker,
)
from ..config import ATTRIBUTES_FOR_EVERY_KIND
from .requestors import TDXRequestors


class TDXCreating(TDXRequestors):
    """``create_ticket``: one ticket per key, with every task title present once."""

    def _attributes(self, ticket: NewTicket, idempotency_key: str) -> list[dict]:
        values = {
            "title": ticket.title,
            "requestor_email": ticket.requestor_email,
            "requestor_name": ticket.requestor_name,
            "account": ticket.account,
            "location": ticket.location,
            "building": ticket.building,
            "support_team": ticket.support_team,
            "kind": ticket.kind,
            "reference": idempotency_key,
            **ticket.fields,
        }
        wanted = {
            **self.config.attributes.get(ATTRIBUTES_FOR_EVERY_KIND, {}),
            **self.config.attributes.get(ticket.kind, {}),
        }
        attributes = []
        for attribute_id, template in wanted.items():
            try:
                value = template.format_map(values)
            except (KeyError, IndexError, ValueError) as exc:
                raise PermanentITSMError(
                    f"TDX_ATTRIBUTES[{ticket.kind!r}][{attribute_id!r}] = {template!r} names "
                    f"a field this ticket does not have ({exc}); fields: {', '.join(values)}."
                ) from exc
            attributes.append({"ID": int(attribute_id), "Value": value})
        if self.config.marker_attribute_id:
            attributes.append({"ID": self.config.marker_attribute_id, "Value": idempotency_key})
        return attributes

    def _create(self, ticket: NewTicket, idempotency_key: str, *, requestor_uid: str = "") -> dict:
        cfg = self.config
        if ticket.kind not in cfg.type_ids:
            raise PermanentITSMError(f"No TDX ticket type is configured for {ticket.kind!r}.")
        if ticket.status not in cfg.status_ids:
            raise PermanentITSMError(f"No TDX status is configured for {ticket.status!r}.")
        if requestor_uid:
            requestor, may_create = {"RequestorUid": requestor_uid}, False
        else:
            requestor, may_create = self._requestor(ticket)
        body = {
            "TypeID": cfg.type_ids[ticket.kind],
            "Title": clip_title(ticket.title),
            "Description": describe(ticket, idempotency_key),
            "StatusID": cfg.status_ids[ticket.status],
            **requestor,
        }
        optional = {
            "FormID": cfg.form_ids.get(ticket.kind),
            "AccountID": cfg.account_ids.get(ticket.account, cfg.account_id),
            "PriorityID": cfg.priority_id,
            "SourceID": cfg.source_id,
            "ResponsibleGroupID": cfg.group_ids.get(ticket.support_team, cfg.default_group_id),
            "LocationID": cfg.location_ids.get(ticket.building, cfg.default_location_id),
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if attributes := self._attributes(ticket, idempotency_key):
            body["Attributes"] = attributes
        params = {
            "EnableNotifyReviewer": "false",
            "NotifyRequestor": "false",
            "NotifyResponsible": "false",
            "AllowRequestorCreation": "true" if may_create else "false",
        }
        if cfg.prefer_requestor_account:
            params["PreferRequestorAccountAndPriority"] = "true"
        return self._request(
            "POST", self._tickets_path(), bucket="POST.tickets", json=body, params=params
        )

    def _find_created(self, idempotency_key: str) -> dict | None:
        """The ticket an earlier, unanswered create saved with this key, if any."""
        search: dict = {"MaxResults": 5}
        if self.config.marker_attribute_id:
            search["CustomAttributes"] = [
                {"ID": self.config.marker_attribute_id, "Value": idempotency_key}
            ]
        else:
            search["SearchText"] = idempotency_key
        rows = self._request(
            "POST", self._tickets_path("/search"), bucket="POST.tickets/search", json=search
        )
        for row in rows or []:
            body = self._request("GET", self._tickets_path(f"/{row['ID']}"), bucket="GET.tickets")
            marked = has_marker(body.get("Description") or "", idempotency_key) or any(
                a.get("ID") == self.config.marker_attribute_id
                and str(a.get("Value")) == idempotency_key
                for a in body.get("Attributes") or []
            )
            if marked:
                return body
        return None

    def _create_once(
        self, ticket: NewTicket, task_titles, idempotency_key: str, *, requestor_uid: str = ""
    ) -> ITSMTicket:
        if (done := self._seen(idempotency_key)) is not None:
            body = self._request("GET", self._tickets_path(f"/{done}"), bucket="GET.tickets")
        else:
            body = self._find_created(idempotency_key)
            if body is None:
                body = self._create(ticket, idempotency_key, requestor_uid=requestor_uid)
            self._remember(idempotency_key, body["ID"])
        tasks = self._finish_tasks(str(body["ID"]), task_titles, idempotency_key)
        return self._ticket(body, tasks)

    def _finish_tasks(self, ticket_id: str, task_titles, idempotency_key: str) -> list[ITSMTask]:
        """Every task title present once: an interrupted create gets only the missing ones."""
        tasks = self._tasks(ticket_id) if task_titles else []
        have = {task.title for task in tasks}
        for n, title in enumerate(task_titles):
            if clip_title(title) in have:
                continue
            tasks.append(self._post_task(ticket_id, title))
            self._remember(f"{idempotency_key}:{n}", tasks[-1].id)
        return tasks

    def create_ticket(self, *, ticket: NewTicket, task_titles, idempotency_key) -> ITSMTicket:
        return self._create_once(ticket, task_titles, idempotency_key)
