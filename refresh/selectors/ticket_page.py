"""The staff ticket page's read of one ticket: only the columns it shows.

The page read every column of sixteen rows (the customer's wizard answers
included) and the ORM's cost grows with each column and join (issue #17). Writes
and the API read the whole ticket through ``tickets.ticket_detail``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, F, Value

from common.prepared import Prepared
from refresh.choices import Platform
from refresh.models import RefreshTicket
from refresh.models.shipping import LOCATION_FIELDS, SHIPPING_FIELDS
from refresh.roles import can_view_tickets

# The ticket's own columns the page shows, with the people, team and config it
# names (five joins: the state machine and the permission checks want the model).
_PAGE_FIELDS = (
    "status",
    "status_before_hold",
    "status_changed_at",
    "style",
    "existing_system_id",
    "user_id",
    "delegate_id",
    "support_team_id",
    "config_id",
    "batch_id",
    "proposed_model_id",
    "chosen_model_id",
    "replacement_system_id",
    "approved_by_id",
    "created_by_id",
    "none_fits",
    "none_fits_reason",
    "inadequate_reason",
    "replacement_group",
    *LOCATION_FIELDS,
    *SHIPPING_FIELDS,
    "tracking_number",
    "tracking_carrier",
    "tracking_emailed_number",
    "delivery_at",
    "itsm_ticket_id",
    "itsm_ticket_url",
    "itsm_lookup_attempts",
    "itsm_lookup_error",
    "created_at",
    "invite_at",
    "invite_sent_at",
    "first_reminder_at",
    "first_reminder_sent_at",
    "second_reminder_at",
    "second_reminder_sent_at",
    "deadline_at",
    "wizard_submitted_at",
    "approved_at",
)
_PERSON = ("full_name", "email")
_PAGE_JOINS = {
    "user": (*_PERSON, "is_active"),
    "delegate": (*_PERSON, "is_active"),
    "support_team": ("name",),
    "config": ("name", "replacement_group", "unit_specified_location"),
    "config__organization": ("name",),
}
# The names the page prints of the ticket's other related rows, all text columns.
_NAMES = (
    "batch__name",
    "existing_system__serial_number",
    "existing_system__name",
    "existing_system__building",
    "existing_system__room",
    "existing_system__hardware_model__manufacturer",
    "existing_system__hardware_model__name",
    "replacement_system__serial_number",
    "replacement_system__hardware_model__manufacturer",
    "replacement_system__hardware_model__name",
    "proposed_model__manufacturer",
    "proposed_model__name",
    "chosen_model__manufacturer",
    "chosen_model__name",
    "approved_by__full_name",
    "approved_by__email",
    "created_by__full_name",
    "created_by__email",
)


def _columns(joins: dict[str, tuple[str, ...]]) -> list[str]:
    return [f"{path}__{name}" for path, names in joins.items() for name in names]


def _model_name(manufacturer: str | None, name: str | None) -> str:
    """``str(HardwareModel)`` from its columns ("" without one)."""
    return f"{manufacturer} {name}" if name is not None else ""


def _person_name(full_name: str | None, email: str | None) -> str:
    """``str(User)`` from its columns ("" without one)."""
    return full_name or email or ""


@dataclass(frozen=True)
class TicketNames:
    """What the page prints of the ticket's batch, systems, models and people, as
    ``str()`` and the page's properties print them ("" where there is none; the
    approver as "None", which is what the page printed for an approval without one)."""

    batch: str
    existing_serial: str
    existing_name: str
    existing_model: str
    existing_location: str
    replacement_serial: str
    replacement_model: str
    proposed_model: str
    chosen_model: str
    approved_by: str
    created_by: str

    @classmethod
    def of(cls, ticket: RefreshTicket) -> TicketNames:
        """From a ticket read by ``ticket_detail`` (its related rows loaded)."""
        existing, replacement = ticket.existing_system, ticket.replacement_system
        return cls(
            batch=ticket.batch.name if ticket.batch_id else "",
            existing_serial=existing.serial_number,
            existing_name=existing.name,
            existing_model=str(existing.hardware_model),
            existing_location=existing.location_display,
            replacement_serial=replacement.serial_number if replacement else "",
            replacement_model=str(replacement.hardware_model) if replacement else "",
            proposed_model=str(ticket.proposed_model) if ticket.proposed_model_id else "",
            chosen_model=str(ticket.chosen_model) if ticket.chosen_model_id else "",
            approved_by=str(ticket.approved_by),
            created_by=str(ticket.created_by) if ticket.created_by_id else "",
        )

    @classmethod
    def from_row(cls, row: tuple) -> TicketNames:
        """From a row of ``_NAMES`` (``None`` for a related row that is not there)."""
        (batch, serial, name, building, room, make, model, new_serial, new_make, new_model,
         proposed_make, proposed, chosen_make, chosen, approver, approver_email,
         creator, creator_email) = row  # fmt: skip
        return cls(
            batch=batch or "",
            existing_serial=serial,
            existing_name=name,
            existing_model=_model_name(make, model),
            existing_location=", ".join(part for part in (building, room) if part),
            replacement_serial=new_serial or "",
            replacement_model=_model_name(new_make, new_model),
            proposed_model=_model_name(proposed_make, proposed),
            chosen_model=_model_name(chosen_make, chosen),
            approved_by=_person_name(approver, approver_email) or "None",
            created_by=_person_name(creator, creator_email),
        )


@dataclass(frozen=True)
class TicketPage:
    """What the staff ticket page shows of one ticket: the ticket with the people,
    team and config it names, the names of its other related rows, and its
    requested peripherals and software."""

    ticket: RefreshTicket
    names: TicketNames
    peripherals: list[str]
    software: list[str]

    @classmethod
    def of(cls, ticket: RefreshTicket) -> TicketPage:
        """From a ticket read by ``ticket_detail`` (its requests are prefetched)."""
        return cls(
            ticket=ticket,
            names=TicketNames.of(ticket),
            peripherals=[str(p) for p in ticket.peripherals.all()],
            software=[str(s) for s in ticket.software_requests.all()],
        )


@Prepared
def _ticket(ticket_id: int):
    return (
        RefreshTicket.objects.select_related(*_PAGE_JOINS)
        .only(*_PAGE_FIELDS, *_columns(_PAGE_JOINS))
        .filter(pk=ticket_id)
    )


@Prepared
def _names(ticket_id: int):
    return RefreshTicket.objects.filter(pk=ticket_id).values_list(*_NAMES)


@Prepared
def _requested(ticket_id: int):
    """The ticket's peripherals and software titles (kind "p" or "s", title,
    platform), in one query instead of two prefetches."""
    text = CharField()
    peripherals = (
        RefreshTicket.peripherals.through.objects.filter(refreshticket_id=ticket_id)
        .annotate(
            kind=Value("p", output_field=text),
            title=F("peripheral__name"),
            platform=Value("", output_field=text),
        )
        .values_list("kind", "title", "platform")
    )
    software = (
        RefreshTicket.software_requests.through.objects.filter(refreshticket_id=ticket_id)
        .annotate(
            kind=Value("s", output_field=text),
            title=F("softwaretitle__name"),
            platform=F("softwaretitle__platform"),
        )
        .values_list("kind", "title", "platform")
    )
    return peripherals.union(software, all=True).order_by("kind", "title", "platform")


def ticket_page(*, user, ticket_id: int) -> TicketPage:
    """One ticket for the staff ticket page (raises ``RefreshTicket.DoesNotExist``):
    three queries, only the columns the page shows, each compiled once per process
    (``common.prepared``: compiling them cost more CPU than running them). Writes
    use ``ticket_detail``."""
    if not can_view_tickets(user):
        raise RefreshTicket.DoesNotExist
    ticket = _ticket.first(ticket_id=ticket_id)
    if ticket is None:
        raise RefreshTicket.DoesNotExist
    names = TicketNames.from_row(_names.first(ticket_id=ticket_id))
    platforms = dict(Platform.choices)
    requested: dict[str, list[str]] = {"p": [], "s": []}
    for kind, name, platform in _requested.all(ticket_id=ticket_id):
        requested[kind].append(
            f"{name} ({platforms.get(platform, platform)})" if platform else name
        )
    return TicketPage(
        ticket=ticket, names=names, peripherals=requested["p"], software=requested["s"]
    )
