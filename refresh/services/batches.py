"""Bulk creation of refresh tickets: from pasted serials (batches, with a
preview) or from systems picked on the bulk creator page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from refresh.choices import BatchRowOutcome, RefreshStyle, TicketStatus
from refresh.exceptions import RefreshError
from refresh.models import (
    RefreshBatch,
    RefreshBatchRow,
    RefreshConfig,
    RefreshTicket,
    RefreshTicketAudit,
    System,
)
from refresh.selectors.configs import batch_counts_changed

from ._core import (
    actor_user,
    forget_status_counts,
    schedule_effects,
)
from .bulk import BulkReport, RowResult, _require_perm, parse_serials
from .tickets.creation import build_ticket, business_dates

S = TicketStatus

CLOSED = [S.COMPLETE, S.CANCELLED]


# --- bulk creation -------------------------------------------------------------------
@dataclass
class PreviewRow:
    position: int
    serial_number: str
    outcome: str
    system: System | None = None
    message: str = ""

    @property
    def outcome_label(self) -> str:
        return BatchRowOutcome(self.outcome).label


def serials_preview(*, serials: list[str], style: str) -> list[PreviewRow]:
    """Classify serials: found, unknown, already on an open ticket, no user, duplicate.

    Three queries whatever the number of serials.
    """
    systems = {
        s.serial_number: s
        for s in System.objects.filter(serial_number__in=set(serials)).select_related(
            "current_user", "hardware_model"
        )
    }
    open_ids = set(
        RefreshTicket.objects.filter(existing_system__in=[s.pk for s in systems.values()])
        .exclude(status__in=CLOSED)
        .values_list("existing_system_id", flat=True)
    )
    rows: list[PreviewRow] = []
    seen: set[str] = set()
    for position, serial in enumerate(serials, start=1):
        system = systems.get(serial)
        if serial in seen:
            rows.append(PreviewRow(position, serial, BatchRowOutcome.DUPLICATE, system))
            continue
        seen.add(serial)
        if system is None:
            rows.append(PreviewRow(position, serial, BatchRowOutcome.UNKNOWN))
        elif system.pk in open_ids:
            rows.append(PreviewRow(position, serial, BatchRowOutcome.ALREADY_OPEN, system))
        elif system.status == "retired":
            rows.append(
                PreviewRow(position, serial, BatchRowOutcome.UNKNOWN, system, "Retired system.")
            )
        elif style != RefreshStyle.NO_CUSTOMER and system.current_user_id is None:
            rows.append(PreviewRow(position, serial, BatchRowOutcome.NO_USER, system))
        else:
            rows.append(PreviewRow(position, serial, BatchRowOutcome.FOUND, system))
    return rows


def _create_many(
    *,
    systems: list[System],
    config: RefreshConfig,
    style: str,
    support_team=None,
    batch=None,
    actor=None,
) -> list[RefreshTicket]:
    """Bulk-insert tickets (one INSERT per table, not per ticket); systems pre-validated."""
    if style == RefreshStyle.BUMP_DOWN:
        raise RefreshError(
            "Bump-down tickets need a replacement each; create them one by one on the "
            "New ticket page (/refresh/tickets/new/)."
        )
    now = timezone.now()
    dates = None if style == RefreshStyle.NO_CUSTOMER else business_dates(created_at=now)
    proposed = {}
    approved = list(config.approved_models.filter(active=True).order_by("manufacturer", "name"))
    for platform in {s.platform for s in systems}:
        proposed[platform] = next(
            (m for m in approved if m.platform == platform), approved[0] if approved else None
        )
    tickets = [
        build_ticket(
            system=system,
            config=config,
            style=style,
            support_team=support_team,
            batch=batch,
            actor=actor,
            proposed_model=proposed[system.platform],
            now=now,
            dates=dates,
        )
        for system in systems
    ]
    created = RefreshTicket.objects.bulk_create(tickets, batch_size=500)
    if len(created) and created[0].pk is None:
        # Backends without RETURNING: read the ids back by their unique system.
        ids = dict(
            RefreshTicket.objects.filter(existing_system__in=systems)
            .exclude(status__in=CLOSED)
            .values_list("existing_system_id", "pk")
        )
        for ticket in created:
            ticket.pk = ticket.id = ids[ticket.existing_system_id]
    if config.peripheral_bundle_id:
        peripheral_ids = list(config.peripheral_bundle.peripherals.values_list("pk", flat=True))
        through = RefreshTicket.peripherals.through
        through.objects.bulk_create(
            [
                through(refreshticket_id=t.pk, peripheral_id=p)
                for t in created
                for p in peripheral_ids
            ],
            batch_size=1000,
        )
    user = actor_user(actor)
    RefreshTicketAudit.objects.bulk_create(
        [
            RefreshTicketAudit(
                ticket_id=t.pk,
                actor=user,
                actor_job="" if user else "bulk creation",
                transition="create",
                from_status="",
                to_status=t.status,
                support_team_id=t.support_team_id,
                note=f"Batch {batch.name}" if batch else "Bulk creation",
                created_at=now,
            )
            for t in created
        ],
        batch_size=1000,
    )
    forget_status_counts()
    for ticket in created:
        schedule_effects(
            ticket_id=ticket.pk,
            source="",
            target=ticket.status,
            forget_counts=False,
        )
    return created


@transaction.atomic
def tickets_create_for_systems(
    *, systems, config: RefreshConfig, style: str | None = None, support_team=None, actor=None
) -> BulkReport:
    """Open tickets for existing systems in one atomic operation with a per-row report.

    Systems that cannot get a ticket (open ticket, no user, retired) are
    reported and skipped; the others are created together.
    """
    _require_perm(actor, "refresh.bulk_manage_refreshticket", "create tickets in bulk")
    style = style or config.style
    systems = list(
        System.objects.select_for_update(of=("self",))
        .filter(pk__in=[s.pk if isinstance(s, System) else int(s) for s in systems])
        .order_by("pk")
    )
    preview = serials_preview(serials=[s.serial_number for s in systems], style=style)
    report = BulkReport()
    good = [row.system for row in preview if row.outcome == BatchRowOutcome.FOUND]
    created = (
        {
            t.existing_system_id: t
            for t in _create_many(
                systems=good, config=config, style=style, support_team=support_team, actor=actor
            )
        }
        if good
        else {}
    )
    for row in preview:
        ticket = created.get(row.system.pk) if row.system else None
        if ticket:
            report.rows.append(
                RowResult(
                    row.serial_number, True, "Ticket created.", ticket, BatchRowOutcome.CREATED
                )
            )
        else:
            report.rows.append(
                RowResult(
                    row.serial_number, False, row.message or row.outcome_label, None, row.outcome
                )
            )
    report.applied = bool(created)
    return report


@transaction.atomic
def batch_create(
    *,
    name: str,
    config: RefreshConfig,
    serials_text: str,
    actor,
    style: str = "",
    support_team=None,
) -> RefreshBatch:
    """Save pasted or uploaded serial numbers as a batch (no tickets yet)."""
    _require_perm(actor, "refresh.bulk_manage_refreshticket", "create batches")
    serials = parse_serials(serials_text)
    if not serials:
        raise RefreshError("Paste or upload at least one serial number.")
    if style == RefreshStyle.BUMP_DOWN:
        raise RefreshError(
            "Bump-down tickets need a replacement each; create them one by one on the "
            "New ticket page (/refresh/tickets/new/)."
        )
    batch = RefreshBatch.objects.create(
        name=name.strip(),
        config=config,
        style=style,
        support_team=support_team,
        serials_text="\n".join(serials),
        created_by=actor_user(actor),
    )
    _batch_counts_changed()
    return batch


def batch_preview(*, batch: RefreshBatch) -> list[PreviewRow]:
    """What creating tickets from this batch would do, row by row."""
    return serials_preview(
        serials=parse_serials(batch.serials_text), style=batch.style or batch.config.style
    )


@transaction.atomic
def batch_create_tickets(*, batch: RefreshBatch, actor) -> BulkReport:
    """Create tickets for every found serial of the batch, atomically, and store the
    per-row report (``RefreshBatchRow``). A batch creates tickets once."""
    _require_perm(actor, "refresh.bulk_manage_refreshticket", "create tickets in bulk")
    batch = RefreshBatch.objects.select_for_update().select_related("config").get(pk=batch.pk)
    if batch.tickets_created_at is not None:
        raise RefreshError(f"Tickets were already created for {batch.name}.")
    style = batch.style or batch.config.style
    serials = parse_serials(batch.serials_text)
    found_ids = list(
        System.objects.filter(serial_number__in=set(serials)).values_list("pk", flat=True)
    )
    # Lock the systems so a concurrent creator cannot open a second ticket.
    list(
        System.objects.select_for_update(of=("self",))
        .filter(pk__in=found_ids)
        .order_by("pk")
        .values_list("pk")
    )
    preview = serials_preview(serials=serials, style=style)
    good = [row.system for row in preview if row.outcome == BatchRowOutcome.FOUND]
    created = (
        {
            t.existing_system_id: t
            for t in _create_many(
                systems=good,
                config=batch.config,
                style=style,
                support_team=batch.support_team,
                batch=batch,
                actor=actor,
            )
        }
        if good
        else {}
    )
    report = BulkReport()
    rows = []
    for row in preview:
        ticket = (
            created.get(row.system.pk)
            if row.system and row.outcome == BatchRowOutcome.FOUND
            else None
        )
        outcome = BatchRowOutcome.CREATED if ticket else row.outcome
        message = "Ticket created." if ticket else (row.message or row.outcome_label)
        rows.append(
            RefreshBatchRow(
                batch=batch,
                position=row.position,
                serial_number=row.serial_number,
                outcome=outcome,
                message=message,
                system=row.system,
                ticket=ticket,
            )
        )
        report.rows.append(RowResult(row.serial_number, bool(ticket), message, ticket, outcome))
    RefreshBatchRow.objects.bulk_create(rows, batch_size=1000)
    batch.tickets_created_at = timezone.now()
    batch.save(update_fields=["tickets_created_at"])
    _batch_counts_changed()
    report.applied = bool(created)
    return report


def _batch_counts_changed() -> None:
    """The batch list's counts move: forget them now and again after commit (a
    reader in between would cache the old numbers)."""
    batch_counts_changed()
    transaction.on_commit(batch_counts_changed)
