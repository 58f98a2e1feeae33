"""Bulk actions on refresh tickets: the order group (assign replacements by
serial and advance), pasted tracking numbers, bulk hold and reschedule. One
report row per ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from refresh.choices import TicketStatus
from refresh.exceptions import TransitionDenied
from refresh.models import (
    RefreshTicket,
    System,
)

from ._core import (
    actor_user,
    lock_tickets,
    run_transition,
)
from .effects import effects_after_replacement_assigned
from .tickets import check_trackable, clean_tracking, ticket_set_tracking_number
from .tickets.creation import validate_replacement

S = TicketStatus

CLOSED = [S.COMPLETE, S.CANCELLED]


@dataclass
class RowResult:
    """One row of a bulk report."""

    key: str
    ok: bool
    message: str = ""
    ticket: RefreshTicket | None = None
    outcome: str = ""


@dataclass
class BulkReport:
    rows: list[RowResult] = field(default_factory=list)
    applied: bool = False

    @property
    def ok_count(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


def parse_serials(text: str) -> list[str]:
    """Serial numbers from pasted text or a CSV/text upload: one per line, comma or space."""
    return [token.strip().upper() for token in re.split(r"[\s,;]+", text or "") if token.strip()]


def _require_perm(actor, perm: str, what: str) -> None:
    user = actor_user(actor)
    if user is not None and not user.has_perm(perm):
        raise TransitionDenied(f"You may not {what}.")


# --- order group: assign replacements and advance -------------------------------
@transaction.atomic
def tickets_assign_replacements_bulk(*, assignments, actor) -> BulkReport:
    """Assign replacement systems to pending_ordering tickets and advance them to
    pending_itsm_existence, all or nothing.

    ``assignments``: iterable of (ticket or ticket id, System or serial number).
    Every row is checked first; if any row fails nothing changes and the report
    says why for each row (``applied`` False).
    """
    _require_perm(actor, "refresh.assign_replacement_refreshticket", "assign replacement systems")
    pairs = [
        (item.pk if isinstance(item, RefreshTicket) else int(item), replacement)
        for item, replacement in assignments
    ]
    report = BulkReport()
    if not pairs:
        return report
    tickets = {t.pk: t for t in lock_tickets(pk for pk, _ in pairs)}
    serials = {r.strip().upper() for _, r in pairs if isinstance(r, str) and r.strip()}
    systems_by_serial = {
        s.serial_number: s for s in System.objects.filter(serial_number__in=serials)
    }
    seen_replacements: set[int] = set()
    planned: list[tuple[RefreshTicket, System]] = []
    for pk, replacement in pairs:
        ticket = tickets.get(pk)
        key = ticket.number if ticket else f"#{pk}"
        if ticket is None:
            report.rows.append(RowResult(key, False, "No such ticket."))
            continue
        system = (
            replacement
            if isinstance(replacement, System)
            else systems_by_serial.get((replacement or "").strip().upper())
        )
        if system is None:
            report.rows.append(
                RowResult(key, False, f"Unknown serial number {replacement!r}.", ticket)
            )
            continue
        if ticket.status != S.PENDING_ORDERING:
            report.rows.append(
                RowResult(key, False, f"{key} is {ticket.get_status_display()}.", ticket)
            )
            continue
        if system.pk in seen_replacements:
            report.rows.append(
                RowResult(key, False, f"{system.serial_number} is assigned twice here.", ticket)
            )
            continue
        try:
            validate_replacement(
                existing=ticket.existing_system, replacement=system, ticket_id=ticket.pk
            )
        except ValidationError as exc:
            report.rows.append(RowResult(key, False, " ".join(exc.messages), ticket))
            continue
        seen_replacements.add(system.pk)
        planned.append((ticket, system))
        report.rows.append(RowResult(key, True, f"{system.serial_number} assigned.", ticket))
    if report.error_count:
        return report
    for ticket, system in planned:
        ticket.replacement_system = system
        run_transition(
            ticket=ticket,
            action="advance_with_replacement",
            actor=actor,
            note=f"Replacement {system.serial_number} (order group)",
            extra_fields=["replacement_system"],
            locked=True,
        )
        effects_after_replacement_assigned(ticket_id=ticket.pk)
    report.applied = True
    return report


# --- tracking numbers pasted per line ----------------------------------------------
TICKET_NUMBER = re.compile(r"^RT-?(\d+)$", re.IGNORECASE)


def _tracking_lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each non-empty line: comma, tab or semicolon separated."""
    lines = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            lines.append((n, [part.strip() for part in re.split(r"[,;\t]", line)]))
    return lines


def _ticket_for_key(key: str) -> RefreshTicket | None:
    """The ticket a pasted key names: its number (RT-00042), else an open ticket whose
    existing or replacement system has this serial."""
    if match := TICKET_NUMBER.match(key):
        return RefreshTicket.objects.filter(pk=int(match.group(1))).first()
    serial = key.upper()
    return (
        RefreshTicket.objects.exclude(status__in=CLOSED)
        .filter(
            Q(existing_system__serial_number=serial) | Q(replacement_system__serial_number=serial)
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def tickets_set_tracking_bulk(*, text: str, actor) -> BulkReport:
    """Tracking numbers pasted as "serial or ticket number, tracking number[, carrier]"
    per line, all or nothing: every line is checked first; if any is refused nothing
    changes and the report says why for each line (``applied`` False)."""
    _require_perm(actor, "refresh.assign_replacement_refreshticket", "enter tracking numbers")
    report = BulkReport()
    planned: list[tuple[RefreshTicket, str, str]] = []
    seen: set[int] = set()
    for n, fields in _tracking_lines(text)[:1000]:
        key = fields[0] or f"line {n}"
        if len(fields) < 2 or not fields[1]:
            report.rows.append(
                RowResult(
                    key,
                    False,
                    f"Line {n}: write the serial or ticket number, a comma, "
                    "then the tracking number.",
                )
            )
            continue
        ticket = _ticket_for_key(fields[0])
        if ticket is None:
            report.rows.append(
                RowResult(key, False, f"Line {n}: no open ticket has the number or serial {key}.")
            )
            continue
        try:
            check_trackable(ticket)
            number, carrier = clean_tracking(
                number=fields[1], carrier=fields[2] if len(fields) > 2 else ""
            )
        except ValidationError as exc:
            report.rows.append(RowResult(key, False, f"Line {n}: {' '.join(exc.messages)}", ticket))
            continue
        if ticket.pk in seen:
            report.rows.append(
                RowResult(key, False, f"Line {n}: {ticket.number} is named twice here.", ticket)
            )
            continue
        seen.add(ticket.pk)
        planned.append((ticket, number, carrier))
        unchanged = (number, carrier) == (ticket.tracking_number, ticket.tracking_carrier)
        message = f"{number} already recorded." if unchanged else f"{number} saved."
        report.rows.append(RowResult(key, True, message, ticket))
    if not report.rows or report.error_count:
        return report
    for ticket, number, carrier in planned:
        ticket_set_tracking_number(
            ticket=ticket, tracking_number=number, carrier=carrier, actor=actor, job="bulk"
        )
    report.applied = True
    return report


# --- bulk hold / reschedule ---------------------------------------------------------
def _each_in_savepoint(ticket_ids, action, *, actor, note="") -> BulkReport:
    from . import tickets as ticket_services

    report = BulkReport()
    for pk in sorted(set(int(pk) for pk in ticket_ids)):
        try:
            with transaction.atomic():
                ticket = action(ticket_services, pk)
            report.rows.append(RowResult(ticket.number, True, ticket.get_status_display(), ticket))
        except RefreshTicket.DoesNotExist:
            report.rows.append(RowResult(f"#{pk}", False, "No such ticket."))
        except ValidationError as exc:
            ticket = getattr(exc, "ticket", None)
            key = ticket.number if ticket else f"RT-{pk:05d}"
            report.rows.append(RowResult(key, False, " ".join(exc.messages), ticket))
    report.applied = report.ok_count > 0
    return report


def tickets_hold_bulk(*, ticket_ids, actor, note: str = "") -> BulkReport:
    """Put several tickets on hold; each row succeeds or fails on its own."""
    _require_perm(actor, "refresh.bulk_manage_refreshticket", "run bulk actions")
    return _each_in_savepoint(
        ticket_ids,
        lambda svc, pk: svc.ticket_hold(ticket=pk, actor=actor, note=note),
        actor=actor,
    )


def tickets_reschedule_bulk(*, ticket_ids, actor, note: str = "") -> BulkReport:
    """Release the bookings of several delivery_scheduled tickets so their customers
    pick again (each row on its own)."""
    _require_perm(actor, "refresh.bulk_manage_refreshticket", "run bulk actions")
    return _each_in_savepoint(
        ticket_ids,
        lambda svc, pk: svc.ticket_request_reschedule(
            ticket=pk, actor=actor, actor_label="", note=note or "Bulk reschedule"
        ),
        actor=actor,
    )
