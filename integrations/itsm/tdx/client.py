"""The ITSM Protocol on TeamDynamix: tickets, tasks, assets, requestors, retries."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.dateparse import parse_datetime

from ..protocol import (
    CheckReport,
    ITSMAsset,
    ITSMNotFound,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    NewTicket,
    PermanentITSMError,
    TicketState,
    change_request_note,
    change_request_ticket,
    changed_location_ticket,
    clip_title,
    describe,
    has_marker,
)
from .config import ATTRIBUTES_FOR_EVERY_KIND, STATUS_CLASSES, status_class
from .transport import TDXTransport

PERSON_CACHE_SECONDS = 24 * 3600
# When two states share a status ID, the later one in this list wins when reading.
_READ_PRECEDENCE = [
    TicketState.NEW,
    TicketState.OPEN,
    TicketState.IN_PROCESS,
    TicketState.ON_HOLD,
    TicketState.CANCELLED,
    TicketState.CLOSED,
    TicketState.INSTALLED,
]


class TDXClient(TDXTransport):
    """The ITSM Protocol against a TeamDynamix tenant (``settings.ITSM_CLIENT``)."""

    # --- mapping -----------------------------------------------------------

    def _state(self, body: dict) -> str:
        by_id = {}
        for state in _READ_PRECEDENCE:
            if state in self.config.status_ids:
                by_id[self.config.status_ids[state]] = state
        if body.get("StatusID") in by_id:
            return by_id[body["StatusID"]]
        return STATUS_CLASSES.get(status_class(body.get("StatusClass")), TicketState.OPEN)

    def ticket_url(self, *, ticket_id) -> str:
        return (
            f"{self.base_url}/{self.config.web_path}/Apps/{self.app_id}"
            f"/Tickets/TicketDet?TicketID={ticket_id}"
        )

    def _task(self, body: dict, ticket_id) -> ITSMTask:
        percent = int(body.get("PercentComplete") or 0)
        return ITSMTask(
            id=str(body["ID"]),
            ticket_id=str(body.get("TicketID") or ticket_id),
            title=body.get("Title", ""),
            percent_complete=percent,
            completed=percent >= 100 or bool(body.get("CompletedDate")),
        )

    def _ticket(self, body: dict, tasks=()) -> ITSMTicket:
        return ITSMTicket(
            id=str(body["ID"]),
            title=body.get("Title", ""),
            status=self._state(body),
            url=self.ticket_url(ticket_id=body["ID"]),
            tasks=tuple(tasks),
        )

    def _tickets_path(self, suffix: str = "") -> str:
        return f"/{self.app_id}/tickets{suffix}"

    # --- requestor -----------------------------------------------------------

    def _person_uid(self, email: str) -> str | None:
        """The UID of the TDX person with this email (primary, alert or user name)."""
        key = f"tdx-person:{self.config.api_root}:{email.lower()}"
        if uid := cache.get(key):
            return uid
        people = self._request(
            "GET",
            "/people/lookup",
            bucket="GET.people/lookup",
            params={"searchText": email, "maxResults": 10},
        )
        for person in people or []:
            addresses = {
                str(person.get(name) or "").strip().lower()
                for name in ("PrimaryEmail", "AlertEmail", "UserName")
            }
            if email.lower() in addresses and person.get("IsActive", True):
                cache.set(key, person["UID"], timeout=PERSON_CACHE_SECONDS)
                return person["UID"]
        return None

    def _requestor(self, ticket: NewTicket) -> tuple[dict, bool]:
        """Requestor fields for a new ticket, and whether TDX may create the person."""
        email = ticket.requestor_email.strip()
        if not email:
            return {"RequestorUid": self.config.default_requestor_uid}, False
        if uid := self._person_uid(email):
            return {"RequestorUid": uid}, False
        if self.config.requestor_policy != "create":
            raise PermanentITSMError(
                f"No TeamDynamix person has the email {email}. Add them in TDX People "
                "(or through your identity sync), or set TDX_REQUESTOR_POLICY=create to "
                "let TDX create the person from their name."
            )
        name = ticket.requestor_name.strip() or email.split("@")[0].replace(".", " ").title()
        first, _, last = name.partition(" ")
        return {
            "RequestorEmail": email,
            "RequestorFirstName": first,
            "RequestorLastName": last or first,
        }, True

    # --- creating tickets ------------------------------------------------------

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

    # --- reading and changing tickets ----------------------------------------

    def _tasks(self, ticket_id) -> list[ITSMTask]:
        rows = self._request(
            "GET", self._tickets_path(f"/{ticket_id}/tasks"), bucket="GET.tickets/tasks"
        )
        return [self._task(row, ticket_id) for row in rows or []]

    def get_ticket(self, *, ticket_id) -> ITSMTicket:
        body = self._request("GET", self._tickets_path(f"/{ticket_id}"), bucket="GET.tickets")
        return self._ticket(body, self._tasks(ticket_id))

    def get_ticket_status(self, *, ticket_id) -> ITSMTicketStatus:
        body = self._request("GET", self._tickets_path(f"/{ticket_id}"), bucket="GET.tickets")
        state = self._state(body)
        modified = parse_datetime(body.get("ModifiedDate") or "")
        return ITSMTicketStatus(
            ticket_id=str(body["ID"]),
            status=state,
            installed=state in (TicketState.INSTALLED, TicketState.CLOSED),
            closed=state == TicketState.CLOSED,
            modified_at=modified,
        )

    def update_ticket(
        self,
        *,
        ticket_id,
        comment="",
        status=None,
        appointment_start=None,
        appointment_end=None,
        idempotency_key,
        private=True,
    ) -> ITSMTicket:
        if status is not None and status not in self.config.status_ids:
            raise PermanentITSMError(f"No TDX status is configured for {status!r}.")
        if self._seen(idempotency_key) is None:
            if appointment_start:
                patch = [
                    {"op": "replace", "path": "/StartDate", "value": appointment_start.isoformat()}
                ]
                if appointment_end:
                    patch.append(
                        {"op": "replace", "path": "/EndDate", "value": appointment_end.isoformat()}
                    )
                self._request(
                    "PATCH",
                    self._tickets_path(f"/{ticket_id}"),
                    bucket="PATCH.tickets",
                    json=patch,
                    params={"notifyNewResponsible": "false"},
                )
            if comment or status:
                feed = {
                    "Comments": comment or "Status updated.",
                    "IsPrivate": private,
                    "Notify": [],
                }
                if status:
                    feed["NewStatusID"] = self.config.status_ids[status]
                self._request(
                    "POST",
                    self._tickets_path(f"/{ticket_id}/feed"),
                    bucket="POST.tickets/feed",
                    json=feed,
                )
            self._remember(idempotency_key, ticket_id)
        return self.get_ticket(ticket_id=ticket_id)

    def _post_task(self, ticket_id, title: str, estimated_minutes: int | None = None) -> ITSMTask:
        title = clip_title(title)
        minutes = estimated_minutes or self.config.task_minutes.get(
            title, self.config.task_default_minutes
        )
        body = self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks"),
            bucket="POST.tickets/tasks",
            json={"Title": title, "EstimatedMinutes": minutes},
        )
        return self._task(body, ticket_id)

    def add_task(self, *, ticket_id, title, idempotency_key, estimated_minutes=None) -> ITSMTask:
        """One task per key; a retry after a lost answer adopts the task with this title."""
        done = self._seen(idempotency_key)
        for task in self._tasks(ticket_id):
            if task.id == done or (done is None and task.title == clip_title(title)):
                self._remember(idempotency_key, task.id)
                return task
        if done is not None:
            raise ITSMNotFound(f"TDX task {done} of ticket {ticket_id} is gone.")
        task = self._post_task(ticket_id, title, estimated_minutes)
        self._remember(idempotency_key, task.id)
        return task

    def _task_feed(self, ticket_id, task_id, entry: dict) -> ITSMTask:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks/{task_id}/feed"),
            bucket="POST.tickets/tasks/feed",
            json={**entry, "Notify": []},
        )
        for task in self._tasks(ticket_id):
            if task.id == str(task_id):
                return task
        raise ITSMNotFound(f"TDX task {task_id} of ticket {ticket_id} does not exist.")

    def complete_task(self, *, ticket_id, task_id, comment="", private=True) -> ITSMTask:
        return self._task_feed(
            ticket_id,
            task_id,
            {"PercentComplete": 100, "Comments": comment or "Completed.", "IsPrivate": private},
        )

    def comment_task(self, *, ticket_id, task_id, comment, private=True) -> ITSMTask:
        return self._task_feed(ticket_id, task_id, {"Comments": comment, "IsPrivate": private})

    def find_asset_by_serial(self, *, serial_number) -> ITSMAsset | None:
        serial = serial_number.strip()
        rows = self._request(
            "POST",
            f"/{self.asset_app_id}/assets/search",
            bucket="POST.assets/search",
            json={"SerialLike": serial},
        )
        for row in rows or []:
            if (row.get("SerialNumber") or "").strip().lower() == serial.lower():
                return ITSMAsset(
                    id=str(row["ID"]),
                    serial_number=row["SerialNumber"],
                    name=row.get("Name") or "",
                    location=row.get("LocationName") or "",
                )
        return None

    def attach_asset(self, *, ticket_id, asset_id) -> None:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/assets/{asset_id}"),
            bucket="POST.tickets/assets",
        )

    def file_change_request(self, *, ticket_id, text, requested_by, idempotency_key) -> str:
        """A change-request ticket for the same requestor, noted privately on the original."""
        original = self._request("GET", self._tickets_path(f"/{ticket_id}"), bucket="GET.tickets")
        created = self._create_once(
            change_request_ticket(ticket_id=ticket_id, text=text, requested_by=requested_by),
            [],
            idempotency_key,
            requestor_uid=original.get("RequestorUid") or self.config.default_requestor_uid,
        )
        self.update_ticket(
            ticket_id=ticket_id,
            comment=change_request_note(
                requested_by=requested_by, created_id=created.id, text=text
            ),
            idempotency_key=f"{idempotency_key}:noted",
        )
        return created.id

    def open_changed_location_ticket(
        self, *, related_ticket_id, requestor_email, old_location, new_location, idempotency_key
    ) -> ITSMTicket:
        return self.create_ticket(
            ticket=changed_location_ticket(
                related_ticket_id=related_ticket_id,
                requestor_email=requestor_email,
                old_location=old_location,
                new_location=new_location,
            ),
            task_titles=[],
            idempotency_key=idempotency_key,
        )

    # --- the check command ------------------------------------------------------

    def check_configuration(self) -> CheckReport:
        from .check import check_tenant

        return check_tenant(self)
