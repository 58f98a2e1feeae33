"""What Handover needs from an ITSM (TeamDynamix in production).

Domain code depends on this Protocol only; ``settings.ITSM_CLIENT`` names the
implementation (the database-backed stub by default, ``tdx.TDXClient`` for the
real service). Every call that creates something takes an ``idempotency_key``;
the key is also written into what is created (a marker line in the
description), so a retry after a lost answer finds the first ticket instead of
creating a second one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Protocol

# TeamDynamix refuses ticket and task titles longer than this.
TITLE_MAX_LENGTH = 300


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

    ALL = (NEW, OPEN, IN_PROCESS, ON_HOLD, INSTALLED, CLOSED, CANCELLED)


class TicketKind:
    """Which kind of ITSM ticket Handover opens; each maps to a ticket type."""

    DEVICE_REFRESH = "device_refresh"
    CHANGED_LOCATION = "changed_location"
    CHANGE_REQUEST = "change_request"

    ALL = (DEVICE_REFRESH, CHANGED_LOCATION, CHANGE_REQUEST)
    LABELS = {
        DEVICE_REFRESH: "Device refresh",
        CHANGED_LOCATION: "Changed location",
        CHANGE_REQUEST: "Change request",
    }


def clip_title(title: str) -> str:
    """A title the ITSM accepts: at most ``TITLE_MAX_LENGTH`` characters."""
    title = " ".join(title.split())
    if len(title) <= TITLE_MAX_LENGTH:
        return title
    return title[: TITLE_MAX_LENGTH - 1].rstrip() + "…"


MARKER_PREFIX = "Handover reference:"


def marker_line(idempotency_key: str) -> str:
    """The line written into every created ticket so a retry can find it again."""
    return f"{MARKER_PREFIX} {idempotency_key}"


def has_marker(text: str, idempotency_key: str) -> bool:
    """True when ``text`` carries exactly this key's marker (not a longer key's)."""
    pattern = rf"(?m)^{re.escape(marker_line(idempotency_key))}\s*$"
    return re.search(pattern, text or "") is not None


def describe(ticket: NewTicket, idempotency_key: str) -> str:
    """The description sent to the ITSM: the text, the location, the marker."""
    parts = [ticket.description.strip()]
    if ticket.location:
        parts.append(f"Location: {ticket.location}")
    parts.append(marker_line(idempotency_key))
    return "\n\n".join(p for p in parts if p)


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
class ITSMAssetOwner:
    """Who the ITSM says owns an asset and where it is; blanks where it says nothing."""

    asset_id: str
    serial_number: str
    owner_email: str = ""
    owner_name: str = ""
    support_group: str = ""
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
    """What a new ITSM ticket says.

    ``kind`` picks the ticket type (and form, attributes); ``support_team`` the
    responsible group; ``building`` the location; ``fields`` are the values the
    configured custom attributes are filled from (e.g. ``{"number": "RT-12"}``).
    """

    title: str
    description: str
    requestor_email: str
    type_name: str = "Device refresh"
    account: str = ""
    location: str = ""
    status: str = TicketState.NEW
    kind: str = TicketKind.DEVICE_REFRESH
    requestor_name: str = ""
    support_team: str = ""
    building: str = ""
    fields: dict[str, str] = field(default_factory=dict)


def change_request_ticket(*, ticket_id: str, text: str, requested_by: str, requestor_email=""):
    """The change-request ticket both clients open (``file_change_request``)."""
    return NewTicket(
        title=f"Change request for ticket {ticket_id}: {text}",
        description=f"Change request from {requested_by} for ticket {ticket_id}:\n\n{text}",
        requestor_email=requestor_email,
        type_name=TicketKind.LABELS[TicketKind.CHANGE_REQUEST],
        kind=TicketKind.CHANGE_REQUEST,
    )


def change_request_note(*, requested_by: str, created_id: str, text: str) -> str:
    """The private comment on the changed ticket naming its change request."""
    return f"Change request from {requested_by} (ticket {created_id}): {text}"


def changed_location_ticket(
    *, related_ticket_id: str, requestor_email: str, old_location: str, new_location: str
) -> NewTicket:
    """The changed-location ticket both clients open."""
    return NewTicket(
        title=f"Changed location: {new_location}",
        description=(
            f"Related ticket {related_ticket_id}: location changed from "
            f"{old_location!r} to {new_location!r}."
        ),
        requestor_email=requestor_email,
        type_name=TicketKind.LABELS[TicketKind.CHANGED_LOCATION],
        kind=TicketKind.CHANGED_LOCATION,
        location=new_location,
    )


@dataclass(frozen=True)
class CheckLine:
    """One configured value and what the ITSM says about it."""

    setting: str
    key: str
    value: str
    found: bool
    maps_to: str = ""


@dataclass(frozen=True)
class CheckReport:
    """What ``manage.py itsm_check`` prints: where we are and each configured value."""

    service: str
    signed_in: bool
    lines: tuple[CheckLine, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.signed_in and not self.problems and all(line.found for line in self.lines)


class ITSMClient(Protocol):
    def create_ticket(
        self, *, ticket: NewTicket, task_titles: list[str], idempotency_key: str
    ) -> ITSMTicket: ...

    def get_ticket(self, *, ticket_id: str) -> ITSMTicket: ...

    def get_ticket_status(self, *, ticket_id: str) -> ITSMTicketStatus: ...

    def ticket_url(self, *, ticket_id: str) -> str: ...

    def update_ticket(
        self,
        *,
        ticket_id: str,
        comment: str = "",
        status: str | None = None,
        appointment_start: dt.datetime | None = None,
        appointment_end: dt.datetime | None = None,
        idempotency_key: str,
        private: bool = True,
    ) -> ITSMTicket: ...

    def add_task(
        self,
        *,
        ticket_id: str,
        title: str,
        idempotency_key: str,
        estimated_minutes: int | None = None,
    ) -> ITSMTask: ...

    def complete_task(
        self, *, ticket_id: str, task_id: str, comment: str = "", private: bool = True
    ) -> ITSMTask: ...

    def comment_task(
        self, *, ticket_id: str, task_id: str, comment: str, private: bool = True
    ) -> ITSMTask: ...

    def find_asset_by_serial(self, *, serial_number: str) -> ITSMAsset | None: ...

    def find_asset_owner(self, *, serial_number: str) -> ITSMAssetOwner | None:
        """The asset with this serial: its owner, support group and location (None if
        the ITSM has no such asset)."""
        ...

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

    def check_configuration(self) -> CheckReport: ...
