"""The real TeamDynamix (TDX) Web API client.

``settings.ITSM_CLIENT = "integrations.itsm.tdx.TDXClient"`` switches to it.
Every request goes through :meth:`TDXClient._request`, which

* signs in with ``POST {base}/TDWebApi/api/auth/loginadmin`` (BEID +
  WebServicesKey) for a bearer JWT, refreshes it an hour before its 24 h expiry
  and signs in again once when TDX answers 401;
* keeps to about 60 calls per minute per method (TDX's limit), counted in the
  cache so web and worker processes share it, and on 429 waits until
  ``X-RateLimit-Reset`` + 5 s (short waits sleep, long ones raise
  ``ITSMRateLimited(retry_after=...)`` so the job is retried instead);
* always passes a timeout; timeouts, connection errors and 5xx raise
  ``TransientITSMError``, 404 ``ITSMNotFound``, other 4xx ``PermanentITSMError``.

TDX has no idempotency keys, so the client remembers each key with the id it
created (``StubIdempotencyKey`` rows with ``service="tdx"``): a retried job gets
the first ticket back instead of a second one.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime

from integrations.models import StubIdempotencyKey

from .protocol import (
    ITSMAsset,
    ITSMNotFound,
    ITSMRateLimited,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    NewTicket,
    PermanentITSMError,
    TicketState,
    TransientITSMError,
)

TOKEN_LIFETIME = dt.timedelta(hours=24)
TOKEN_REFRESH_MARGIN = dt.timedelta(hours=1)
RATE_LIMIT_MARGIN_SECONDS = 5

# TDX status ids differ per application; override with settings.TDX_STATUS_IDS.
DEFAULT_STATUS_IDS = {
    TicketState.NEW: 1,
    TicketState.OPEN: 2,
    TicketState.IN_PROCESS: 3,
    TicketState.ON_HOLD: 4,
    TicketState.INSTALLED: 5,
    TicketState.CLOSED: 6,
    TicketState.CANCELLED: 7,
}
# TDX's StatusClass when an unknown status id comes back.
STATUS_CLASSES = {
    "New": TicketState.NEW,
    "Requested": TicketState.NEW,
    "InProcess": TicketState.IN_PROCESS,
    "OnHold": TicketState.ON_HOLD,
    "Completed": TicketState.CLOSED,
    "Cancelled": TicketState.CANCELLED,
}


def _setting(name, default):
    return getattr(settings, name, default) or default


class TDXClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        beid: str | None = None,
        web_services_key: str | None = None,
        app_id: int | None = None,
        asset_app_id: int | None = None,
        session: requests.Session | None = None,
        sleep=time.sleep,
    ):
        self.base_url = (base_url or settings.TDX_BASE_URL).rstrip("/")
        self.beid = beid or settings.TDX_BEID
        self.web_services_key = web_services_key or settings.TDX_WEB_SERVICES_KEY
        self.app_id = app_id or settings.TDX_APP_ID
        self.asset_app_id = asset_app_id or settings.TDX_ASSET_APP_ID
        self.session = session or requests.Session()
        self.timeout = _setting("TDX_TIMEOUT_SECONDS", (5, 30))
        self.calls_per_minute = _setting("TDX_CALLS_PER_MINUTE", 60)
        self.max_inline_wait = _setting("TDX_MAX_INLINE_WAIT_SECONDS", 10)
        self.status_ids = {**DEFAULT_STATUS_IDS, **_setting("TDX_STATUS_IDS", {})}
        self.type_ids = _setting("TDX_TYPE_IDS", {})
        self.account_ids = _setting("TDX_ACCOUNT_IDS", {})
        self.priority_id = _setting("TDX_PRIORITY_ID", None)
        self.sleep = sleep
        self._token: str | None = None
        self._token_expires: dt.datetime | None = None

    # --- transport ---------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}/TDWebApi{path}"

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, self._url(path), timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise TransientITSMError(f"TDX timed out on {method} {path}.") from exc
        except requests.RequestException as exc:
            raise TransientITSMError(f"TDX could not be reached: {exc}") from exc

    def _login(self) -> str:
        response = self._send(
            "POST",
            "/api/auth/loginadmin",
            json={"BEID": self.beid, "WebServicesKey": self.web_services_key},
        )
        if response.status_code >= 500:
            raise TransientITSMError(f"TDX sign-in failed with {response.status_code}.")
        if response.status_code >= 400:
            raise PermanentITSMError(
                f"TDX refused the BEID/WebServicesKey sign-in ({response.status_code})."
            )
        token = response.text.strip().strip('"')
        self._token = token
        self._token_expires = self._now() + TOKEN_LIFETIME
        cache.set(
            self._token_cache_key(),
            (token, self._token_expires),
            timeout=int((TOKEN_LIFETIME - TOKEN_REFRESH_MARGIN).total_seconds()),
        )
        return token

    def _token_cache_key(self) -> str:
        return f"tdx-token:{self.base_url}:{self.beid}"

    def _bearer(self) -> str:
        if self._token is None:
            cached = cache.get(self._token_cache_key())
            if cached:
                self._token, self._token_expires = cached
        if self._token is None or self._now() >= self._token_expires - TOKEN_REFRESH_MARGIN:
            return self._login()
        return self._token

    def _throttle(self, bucket: str) -> None:
        """Keep to ``calls_per_minute`` per method; honour a 429's reset time."""
        blocked_until = cache.get(f"tdx-blocked:{bucket}")
        now = time.time()
        if blocked_until and blocked_until > now:
            self._wait(blocked_until - now)
        minute = int(time.time() // 60)
        key = f"tdx-rate:{bucket}:{minute}"
        cache.add(key, 0, timeout=90)
        if cache.incr(key) > self.calls_per_minute:
            self._wait(60 - time.time() % 60 + RATE_LIMIT_MARGIN_SECONDS)

    def _wait(self, seconds: float) -> None:
        if seconds > self.max_inline_wait:
            raise ITSMRateLimited(
                f"TDX rate limit: try again in {seconds:.0f} s.", retry_after=seconds
            )
        self.sleep(seconds)

    def _reset_wait(self, response: requests.Response) -> float:
        header = response.headers.get("X-RateLimit-Reset", "")
        reset: float | None = None
        if header:
            try:
                reset = float(header)
            except ValueError:
                parsed = parse_datetime(header)
                if parsed is None:
                    try:
                        parsed = email.utils.parsedate_to_datetime(header)
                    except (TypeError, ValueError):
                        parsed = None
                if parsed is not None:
                    if parsed.tzinfo is None:
                        parsed = parsed.replace(tzinfo=dt.UTC)
                    reset = parsed.timestamp()
        if reset is None:
            return 60.0 + RATE_LIMIT_MARGIN_SECONDS
        return max(0.0, reset - time.time()) + RATE_LIMIT_MARGIN_SECONDS

    def _request(self, method: str, path: str, *, bucket: str, json=None):
        """One API call: throttled, signed, re-signed once on 401, waited on 429."""
        reauthenticated = rate_waited = False
        while True:
            self._throttle(bucket)
            headers = {"Authorization": f"Bearer {self._bearer()}"}
            response = self._send(method, path, json=json, headers=headers)
            status = response.status_code
            if status == 401 and not reauthenticated:
                reauthenticated = True
                self._token = None
                cache.delete(self._token_cache_key())
                continue
            if status == 429:
                wait = self._reset_wait(response)
                cache.set(f"tdx-blocked:{bucket}", time.time() + wait, timeout=int(wait) + 1)
                if rate_waited or wait > self.max_inline_wait:
                    raise ITSMRateLimited(f"TDX rate limit on {method} {path}.", retry_after=wait)
                rate_waited = True  # _throttle sleeps until the reset on the way round
                continue
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
        by_id = {v: k for k, v in self.status_ids.items()}
        if body.get("StatusID") in by_id:
            return by_id[body["StatusID"]]
        return STATUS_CLASSES.get(body.get("StatusClass") or "", TicketState.OPEN)

    def _ticket_url(self, ticket_id) -> str:
        return f"{self.base_url}/TDNext/Apps/{self.app_id}/Tickets/TicketDet?TicketID={ticket_id}"

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
            url=self._ticket_url(body["ID"]),
            tasks=tuple(tasks),
        )

    def _tickets_path(self, suffix: str = "") -> str:
        return f"/api/{self.app_id}/tickets{suffix}"

    # --- the Protocol ------------------------------------------------------

    def _create(self, ticket: NewTicket) -> dict:
        description = ticket.description
        if ticket.location:
            description = f"{description}\n\nLocation: {ticket.location}".strip()
        body = {
            "Title": ticket.title[:500],
            "Description": description,
            "RequestorEmail": ticket.requestor_email,
            "StatusID": self.status_ids.get(ticket.status, self.status_ids[TicketState.NEW]),
        }
        if ticket.type_name in self.type_ids:
            body["TypeID"] = self.type_ids[ticket.type_name]
        if ticket.account in self.account_ids:
            body["AccountID"] = self.account_ids[ticket.account]
        if self.priority_id:
            body["PriorityID"] = self.priority_id
        return self._request(
            "POST",
            self._tickets_path(
                "?EnableNotifyReviewer=false&NotifyRequestor=false"
                "&NotifyResponsible=false&AllowRequestorCreation=true"
            ),
            bucket="POST.tickets",
            json=body,
        )

    def create_ticket(self, *, ticket: NewTicket, task_titles, idempotency_key) -> ITSMTicket:
        if (done := self._seen(idempotency_key)) is not None:
            return self.get_ticket(ticket_id=done)
        created = self._create(ticket)
        self._remember(idempotency_key, created["ID"])
        tasks = [
            self.add_task(
                ticket_id=str(created["ID"]), title=title, idempotency_key=f"{idempotency_key}:{n}"
            )
            for n, title in enumerate(task_titles)
        ]
        return self._ticket(created, tasks)

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
    ) -> ITSMTicket:
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
                    self._tickets_path(f"/{ticket_id}?notifyNewResponsible=false"),
                    bucket="PATCH.tickets",
                    json=patch,
                )
            if comment or status:
                feed = {"Comments": comment or "Status updated.", "IsPrivate": True, "Notify": []}
                if status:
                    feed["NewStatusID"] = self.status_ids[status]
                self._request(
                    "POST",
                    self._tickets_path(f"/{ticket_id}/feed"),
                    bucket="POST.tickets/feed",
                    json=feed,
                )
            self._remember(idempotency_key, ticket_id)
        return self.get_ticket(ticket_id=ticket_id)

    def add_task(self, *, ticket_id, title, idempotency_key) -> ITSMTask:
        if (done := self._seen(idempotency_key)) is not None:
            for task in self._tasks(ticket_id):
                if task.id == done:
                    return task
            raise ITSMNotFound(f"TDX task {done} of ticket {ticket_id} is gone.")
        body = self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks"),
            bucket="POST.tickets/tasks",
            json={"Title": title[:500], "PercentComplete": 0},
        )
        self._remember(idempotency_key, body["ID"])
        return self._task(body, ticket_id)

    def complete_task(self, *, ticket_id, task_id, comment="") -> ITSMTask:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks/{task_id}/feed"),
            bucket="POST.tickets/tasks/feed",
            json={"PercentComplete": 100, "Comments": comment or "Completed.", "Notify": []},
        )
        for task in self._tasks(ticket_id):
            if task.id == str(task_id):
                return task
        raise ITSMNotFound(f"TDX task {task_id} of ticket {ticket_id} does not exist.")

    def comment_task(self, *, ticket_id, task_id, comment) -> ITSMTask:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks/{task_id}/feed"),
            bucket="POST.tickets/tasks/feed",
            json={"Comments": comment, "Notify": []},
        )
        for task in self._tasks(ticket_id):
            if task.id == str(task_id):
                return task
        raise ITSMNotFound(f"TDX task {task_id} of ticket {ticket_id} does not exist.")

    def find_asset_by_serial(self, *, serial_number) -> ITSMAsset | None:
        serial = serial_number.strip()
        rows = self._request(
            "POST",
            f"/api/{self.asset_app_id}/assets/search",
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
        updated = self.update_ticket(
            ticket_id=ticket_id,
            comment=f"Change request from {requested_by}: {text}",
            idempotency_key=idempotency_key,
        )
        return updated.id

    def open_changed_location_ticket(
        self, *, related_ticket_id, requestor_email, old_location, new_location, idempotency_key
    ) -> ITSMTicket:
        return self.create_ticket(
            ticket=NewTicket(
                title="Changed location",
                description=(
                    f"Related ticket {related_ticket_id}: location changed from "
                    f"{old_location!r} to {new_location!r}."
                ),
                requestor_email=requestor_email,
                type_name="Changed location",
                location=new_location,
            ),
            task_titles=[],
            idempotency_key=idempotency_key,
        )
