"""The real TeamDynamix (TDX) Web API client.

``settings.ITSM_CLIENT = "integrations.itsm.tdx.TDXClient"`` switches to it;
the tenant's IDs come from the ``TDX_*`` settings (``tdx_config.TDXConfig``)
and the client refuses to start until every one it needs is set. Every
request goes through :meth:`TDXClient._request`, which

* signs in with ``POST {base}/{TDX_API_PATH}/api/auth/loginadmin`` (BEID +
  WebServicesKey) for a bearer JWT, keeps it until shortly before the token's
  own ``exp`` claim, and signs in again once when TDX answers 401;
* counts calls per method in windows that start at the first call (ticket
  create 30 per 60 s, most others 60), shared through the cache; on 429 it
  waits until ``X-RateLimit-Reset`` (an RFC 1123 date) + 5 s — short waits
  sleep, long ones raise ``ITSMRateLimited(retry_after=...)`` so the job is
  retried instead;
* always passes a timeout; timeouts, connection errors, 5xx and a 429 on
  sign-in raise ``TransientITSMError``, 404 ``ITSMNotFound``, other 4xx
  ``PermanentITSMError``.

TDX has no idempotency keys. Each created ticket carries a marker line with
the key in its description (and, if configured, a custom attribute); a retry
after a lost answer searches for it before creating again, then adds only the
tasks still missing. Keys are also remembered locally (``StubIdempotencyKey``
rows with ``service="tdx"``) to save the search when the answer did arrive.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import time

import requests
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from integrations.models import StubIdempotencyKey

from .limits import SKEW_SECONDS, parse_reset, window_wait
from .protocol import (
    CheckReport,
    ITSMAsset,
    ITSMNotFound,
    ITSMRateLimited,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    NewTicket,
    PermanentITSMError,
    TicketKind,
    TicketState,
    TransientITSMError,
    clip_title,
    describe,
    has_marker,
)
from .tdx_config import ATTRIBUTES_FOR_EVERY_KIND, STATUS_CLASSES, TDXConfig, status_class

FALLBACK_TOKEN_LIFETIME = dt.timedelta(hours=24)
TOKEN_REFRESH_MARGIN = dt.timedelta(minutes=5)
TICKET_COMPONENT_ID = 9  # TDX's fixed component id for tickets (custom attributes)
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


def token_expiry(token: str) -> dt.datetime | None:
    """The ``exp`` claim of a JWT (read, not verified: TDX verifies it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return dt.datetime.fromtimestamp(int(claims["exp"]), tz=dt.UTC)
    except (IndexError, KeyError, TypeError, ValueError):
        return None


class TDXClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        beid: str | None = None,
        web_services_key: str | None = None,
        app_id: int | None = None,
        asset_app_id: int | None = None,
        api_path: str | None = None,
        session: requests.Session | None = None,
        sleep=time.sleep,
        config: TDXConfig | None = None,
        validate: bool = True,
    ):
        self.config = config or TDXConfig.from_settings(
            base_url=base_url.rstrip("/") if base_url else None,
            beid=beid,
            web_services_key=web_services_key,
            app_id=app_id,
            asset_app_id=asset_app_id,
            api_path=api_path.strip("/") if api_path else None,
        )
        self.problems = self.config.problems()
        if validate and self.problems:
            raise ImproperlyConfigured(
                "TeamDynamix is not configured for this tenant: "
                + "; ".join(self.problems)
                + ". See docs/integrations.md (Connecting TeamDynamix) and run "
                "`manage.py itsm_check`."
            )
        self.base_url = self.config.base_url
        self.app_id = self.config.app_id
        self.asset_app_id = self.config.asset_app_id
        self.session = session or requests.Session()
        self.sleep = sleep
        self._token: str | None = None
        self._token_expires: dt.datetime | None = None

    # --- transport ---------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.config.api_root}{path}"

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(
                method, self._url(path), timeout=self.config.timeout, **kwargs
            )
        except requests.Timeout as exc:
            raise TransientITSMError(f"TDX timed out on {method} {path}.") from exc
        except requests.RequestException as exc:
            raise TransientITSMError(f"TDX could not be reached: {exc}") from exc
        return response

    def _login(self) -> str:
        bucket = "POST.auth/loginadmin"
        self._throttle(bucket)
        response = self._send(
            "POST",
            "/auth/loginadmin",
            json={"BEID": self.config.beid, "WebServicesKey": self.config.web_services_key},
        )
        status = response.status_code
        if status == 429:
            wait = self._block(bucket, response)
            raise ITSMRateLimited(
                f"TDX rate-limited the sign-in: try again in {wait:.0f} s.", retry_after=wait
            )
        if status >= 500:
            raise TransientITSMError(f"TDX sign-in failed with {status}.")
        if status >= 400:
            raise PermanentITSMError(
                f"TDX refused the BEID/WebServicesKey sign-in ({status}): check TDX_BEID "
                "and TDX_WEB_SERVICES_KEY."
            )
        token = response.text.strip().strip('"')
        now = self._now()
        expires = token_expiry(token) or now + FALLBACK_TOKEN_LIFETIME
        margin = max(dt.timedelta(0), min(TOKEN_REFRESH_MARGIN, (expires - now) / 2))
        self._token, self._token_expires = token, expires - margin
        keep = int((self._token_expires - now).total_seconds())
        if keep > 0:
            cache.set(self._token_cache_key(), (token, self._token_expires), timeout=keep)
        return token

    def _token_cache_key(self) -> str:
        return f"tdx-token:{self.config.api_root}:{self.config.beid}"

    def _bearer(self) -> str:
        if self._token is None:
            cached = cache.get(self._token_cache_key())
            if cached:
                self._token, self._token_expires = cached
        if self._token is None or self._now() >= self._token_expires:
            return self._login()
        return self._token

    def _throttle(self, bucket: str) -> None:
        """Keep to the method's limit; honour a reset TDX announced."""
        blocked_until = cache.get(f"tdx-blocked:{bucket}")
        now = time.time()
        if blocked_until and blocked_until > now:
            self._wait(blocked_until - now)
        wait = window_wait(bucket=f"tdx:{bucket}", limit=self.config.limit_for(bucket))
        if wait:
            self._wait(wait + SKEW_SECONDS)

    def _wait(self, seconds: float) -> None:
        if seconds > self.config.max_inline_wait:
            raise ITSMRateLimited(
                f"TDX rate limit: try again in {seconds:.0f} s.", retry_after=seconds
            )
        self.sleep(seconds)

    def _block(self, bucket: str, response: requests.Response) -> float:
        """Remember TDX's reset for this method; return the wait (reset + 5 s)."""
        until_reset = parse_reset(response.headers.get("X-RateLimit-Reset", ""))
        wait = (60.0 if until_reset is None else until_reset) + SKEW_SECONDS
        cache.set(f"tdx-blocked:{bucket}", time.time() + wait, timeout=int(wait) + 1)
        return wait

    def _request(self, method: str, path: str, *, bucket: str, json=None, params=None):
        """One API call: throttled, signed, re-signed once on 401, waited on 429."""
        reauthenticated = rate_waited = False
        while True:
            self._throttle(bucket)
            headers = {"Authorization": f"Bearer {self._bearer()}"}
            response = self._send(method, path, json=json, params=params, headers=headers)
            status = response.status_code
            if status == 401 and not reauthenticated:
                reauthenticated = True
                self._token = None
                cache.delete(self._token_cache_key())
                continue
            if status == 429:
                wait = self._block(bucket, response)
                if rate_waited or wait > self.config.max_inline_wait:
                    raise ITSMRateLimited(f"TDX rate limit on {method} {path}.", retry_after=wait)
                rate_waited = True  # _throttle sleeps until the reset on the way round
                continue
            if response.headers.get("X-RateLimit-Remaining") == "0" and response.headers.get(
                "X-RateLimit-Reset"
            ):
                self._block(bucket, response)  # the next call would be refused
            if status >= 500:
                raise TransientITSMError(f"TDX answered {status} on {method} {path}.")
            if status == 404:
                raise ITSMNotFound(f"TDX has no {path}.")
            if status >= 400:
                raise PermanentITSMError(
                    f"TDX refused {method} {path} ({status}): {response.text[:300]}"
                )
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                return response.text

    # --- idempotency -------------------------------------------------------

    def _seen(self, key: str) -> str | None:
        row = StubIdempotencyKey.objects.filter(service="tdx", key=key).first()
        return row.result_id if row else None

    def _remember(self, key: str, result_id) -> None:
        try:
            with transaction.atomic():
                StubIdempotencyKey.objects.create(service="tdx", key=key, result_id=str(result_id))
        except IntegrityError:
            pass

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
            NewTicket(
                title=f"Change request for ticket {ticket_id}: {text}",
                description=f"Change request from {requested_by} for ticket {ticket_id}:\n\n{text}",
                requestor_email="",
                type_name=TicketKind.LABELS[TicketKind.CHANGE_REQUEST],
                kind=TicketKind.CHANGE_REQUEST,
            ),
            [],
            idempotency_key,
            requestor_uid=original.get("RequestorUid") or self.config.default_requestor_uid,
        )
        self.update_ticket(
            ticket_id=ticket_id,
            comment=f"Change request from {requested_by} (ticket {created.id}): {text}",
            idempotency_key=f"{idempotency_key}:noted",
        )
        return created.id

    def open_changed_location_ticket(
        self, *, related_ticket_id, requestor_email, old_location, new_location, idempotency_key
    ) -> ITSMTicket:
        return self.create_ticket(
            ticket=NewTicket(
                title=f"Changed location: {new_location}",
                description=(
                    f"Related ticket {related_ticket_id}: location changed from "
                    f"{old_location!r} to {new_location!r}."
                ),
                requestor_email=requestor_email,
                type_name=TicketKind.LABELS[TicketKind.CHANGED_LOCATION],
                kind=TicketKind.CHANGED_LOCATION,
                location=new_location,
            ),
            task_titles=[],
            idempotency_key=idempotency_key,
        )

    # --- the check command ------------------------------------------------------

    def check_configuration(self) -> CheckReport:
        from .tdx_check import check_tenant

        return check_tenant(self)
