"""What Handover needs from an ITSM (TeamDynamix in production).

Domain code depends on this Protocol only; ``settings.ITSM_CLIENT`` names the
implementation (the database-backed stub by default, ``tdx.TDXClient`` for the
real service). Every call that creates something takes an ``idempotency_key``
so a retried job never creates it twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol


class ITSMError(Exception):
    """Any failure talking to the ITSM."""


class TransientITSMError(ITSMError):
    """Worth retrying later: timeouts, 5xx, rate limiting, the service being down."""


class PermanentITSMError(ITSMError):
    """Retrying will not help: bad request, permission denied, invalid data."""


class ITSMNotFound(PermanentITSMError):
    """The ticket, task or asset does not exist."""


class ITSMRateLimited(TransientITSMError):
    """Too many calls; try again after ``retry_after`` seconds."""

    def __init__(self, message: str = "Rate limited by the ITSM.", *, retry_after: float = 60.0):
        super().__init__(message)
        self.retry_after = retry_after


class TicketState:
    NEW = "new"
    OPEN = "open"
    IN_PROCESS = "in_process"
    ON_HOLD = "on_hold"
    INSTALLED = "installed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ITSMTask:
    id: str
    ticket_id: str
    title: str
    percent_complete: int = 0
    completed: bool = False


@dataclass(frozen=True)
class ITSMTicket:
    id: str
    title: str
    status: str
    url: str = ""
    tasks: tuple[ITSMTask, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ITSMAsset:
    id: str
    serial_number: str
    name: str = ""
    location: str = ""


@dataclass(frozen=True)
class ITSMTicketStatus:
    ticket_id: str
    status: str
    installed: bool
    closed: bool
    modified_at: dt.datetime | None = None


@dataclass(frozen=True)
class NewTicket:
    """What a new ITSM ticket says."""

    title: str
    description: str
    requestor_email: str
    type_name: str = "Device refresh"
    account: str = ""
    location: str = ""
    status: str = TicketState.NEW


class ITSMClient(Protocol):
    def create_ticket(
        self, *, ticket: NewTicket, task_titles: list[str], idempotency_key: str
    ) -> ITSMTicket: ...

    def get_ticket(self, *, ticket_id: str) -> ITSMTicket: ...

    def get_ticket_status(self, *, ticket_id: str) -> ITSMTicketStatus: ...

    def update_ticket(
        self,
        *,
        ticket_id: str,
        comment: str = "",
        status: str | None = None,
        appointment_start: dt.datetime | None = None,
        appointment_end: dt.datetime | None = None,
        idempotency_key: str,
    ) -> ITSMTicket: ...

    def add_task(self, *, ticket_id: str, title: str, idempotency_key: str) -> ITSMTask: ...

    def complete_task(self, *, ticket_id: str, task_id: str, comment: str = "") -> ITSMTask: ...

    def comment_task(self, *, ticket_id: str, task_id: str, comment: str) -> ITSMTask: ...

    def find_asset_by_serial(self, *, serial_number: str) -> ITSMAsset | None: ...

    def attach_asset(self, *, ticket_id: str, asset_id: str) -> None: ...

    def file_change_request(
        self, *, ticket_id: str, text: str, requested_by: str, idempotency_key: str
    ) -> str: ...

    def open_changed_location_ticket(
        self,
        *,
        related_ticket_id: str,
        requestor_email: str,
        old_location: str,
        new_location: str,
        idempotency_key: str,
    ) -> ITSMTicket: ...
