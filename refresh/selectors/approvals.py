"""Tickets an approver may see: those of the configs naming them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import QuerySet

from common.pagination import ShownRowsPaginator
from refresh.choices import Platform, TicketStatus
from refresh.models import RefreshConfig, RefreshTicket
from refresh.models.shipping import SHIPPING_FIELDS

from .base import _base_list_queryset
from .lists import TICKET_COUNTS

# The approver's list shows this many tickets a page (each with its choices).
# Each card carries three forms (approve, edit, send back): 25 a page keeps the
# page under 30 ms at any size (50 cards cost 32 ms of CPU; issue #17).
APPROVALS_PAGE_SIZE = 25


def tickets_for_approver(*, user) -> QuerySet[RefreshTicket]:
    """Tickets of the configs naming ``user`` as approver (all configs for superusers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RefreshTicket.objects.none()
    qs = _base_list_queryset()
    if not user.is_superuser:
        qs = qs.filter(config__approvers=user)
    return qs.order_by("-created_at", "-id")


def ticket_for_approver(*, user, ticket_id: int) -> RefreshTicket:
    """One ticket of a config naming ``user`` as approver (raises ``DoesNotExist``)."""
    return (
        tickets_for_approver(user=user)
        .select_related("proposed_model", "chosen_model", "booking__slot")
        .prefetch_related("peripherals", "software_requests")
        .get(pk=ticket_id)
    )


def tickets_awaiting_approval(*, user) -> QuerySet[RefreshTicket]:
    """The approver's list: pending_approval tickets, oldest first, with the customer's
    choices (models, peripherals, software) loaded."""
    return (
        tickets_for_approver(user=user)
        .filter(status=TicketStatus.PENDING_APPROVAL)
        .defer(None)
        .select_related(
            "existing_system__hardware_model",
            "proposed_model",
            "chosen_model",
            "config",
        )
        .prefetch_related("peripherals", "software_requests")
        .order_by("status_changed_at", "id")
    )


def approvals_page(*, user, number) -> Page:
    """Page ``number`` of ``tickets_awaiting_approval(user=user)``, flat at any size.

    The page's keys come from the tickets alone: an index-only scan of the
    partial index ``refresh_tkt_approval_idx`` (oldest change first, with the
    config; the approver's configs read first as a list of ids), then the
    models, peripherals and software of those 25 only. The count is cached with
    the ticket list's page counts and dropped on every status change (an
    approval, a return).
    """
    keys = RefreshTicket.objects.none()
    if getattr(user, "is_authenticated", False) and user.is_active:
        keys = RefreshTicket.objects.filter(status=TicketStatus.PENDING_APPROVAL)
        if not user.is_superuser:
            # The ids as a list, not a subquery: PostgreSQL checks a constant list
            # per index entry about six times faster than a hashed subplan.
            configs = list(
                RefreshConfig.objects.filter(approvers=user).values_list("pk", flat=True)
            )
            keys = keys.filter(config_id__in=configs)
        keys = keys.order_by("status_changed_at", "id")
    paginator = ShownRowsPaginator(
        keys, APPROVALS_PAGE_SIZE, namespace=TICKET_COUNTS, load_rows=_approval_rows
    )
    return paginator.get_page(number)


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """What an approval card shows of a ticket (``refresh.approvals.cards``), as text:
    the models' names as their ``__str__`` spells them."""

    pk: int
    number: str
    person: str  # the customer's name, else the system's serial number
    config: str
    system_model: str
    serial: str
    style: str
    chosen_model: str
    proposed_model: str
    chosen_differs: bool  # both set and not the same model
    none_fits: bool
    none_fits_reason: str
    inadequate_reason: str
    peripherals: tuple[str, ...]
    software: tuple[str, ...]
    ship_to_name: str
    ship_street: str
    ship_street2: str
    ship_city: str
    ship_state: str
    ship_zip: str
    location_building: str
    location_room: str


_SHOWN_AS_IS = (*SHIPPING_FIELDS, "location_building", "location_room")

_CARD_COLUMNS = (
    "id",
    "style",
    "none_fits",
    "none_fits_reason",
    "inadequate_reason",
    *_SHOWN_AS_IS,
    "user__full_name",
    "user__email",
    "config__name",
    "existing_system__serial_number",
    "existing_system__hardware_model__manufacturer",
    "existing_system__hardware_model__name",
    "proposed_model_id",
    "proposed_model__manufacturer",
    "proposed_model__name",
    "chosen_model_id",
    "chosen_model__manufacturer",
    "chosen_model__name",
)
PLATFORM_LABELS = dict(Platform.choices)


def _model_name(row: dict, prefix: str) -> str:
    """``str(HardwareModel)`` from the row's columns ("" when there is none)."""
    if row.get(f"{prefix}_id", True) is None:
        return ""
    return f"{row[prefix + '__manufacturer']} {row[prefix + '__name']}"


def _approval_rows(ids: list[int]) -> dict[int, ApprovalRow]:
    """The cards of tickets ``ids`` (already the approver's): the columns they
    show, read as values (no model instances: 25 tickets with six related rows
    each cost more to build than the page to print), then the names of their
    peripherals and software, in the catalog's order. Every extra joined table
    costs PostgreSQL planning time (a 12-table join took 18 ms to plan)."""
    peripherals, software = defaultdict(list), defaultdict(list)
    for ticket_id, name in (
        RefreshTicket.peripherals.through.objects.filter(refreshticket_id__in=ids)
        .order_by("peripheral__name")
        .values_list("refreshticket_id", "peripheral__name")
    ):
        peripherals[ticket_id].append(name)
    for ticket_id, name, platform in (
        RefreshTicket.software_requests.through.objects.filter(refreshticket_id__in=ids)
        .order_by("softwaretitle__name", "softwaretitle_id")
        .values_list("refreshticket_id", "softwaretitle__name", "softwaretitle__platform")
    ):
        software[ticket_id].append(
            f"{name} ({PLATFORM_LABELS.get(platform, platform)})" if platform else name
        )
    rows = {}
    for row in RefreshTicket.objects.filter(pk__in=ids).order_by().values(*_CARD_COLUMNS):
        pk = row["id"]
        chosen, proposed = row["chosen_model_id"], row["proposed_model_id"]
        rows[pk] = ApprovalRow(
            pk=pk,
            number=f"RT-{pk:05d}",
            person=row["user__full_name"] or row["user__email"] or "",
            config=row["config__name"],
            system_model=_model_name(row, "existing_system__hardware_model"),
            serial=row["existing_system__serial_number"],
            style=row["style"],
            chosen_model=_model_name(row, "chosen_model"),
            proposed_model=_model_name(row, "proposed_model"),
            chosen_differs=bool(chosen and proposed and chosen != proposed),
            none_fits=row["none_fits"],
            none_fits_reason=row["none_fits_reason"],
            inadequate_reason=row["inadequate_reason"],
            peripherals=tuple(peripherals[pk]),
            software=tuple(software[pk]),
            **{name: row[name] for name in _SHOWN_AS_IS},
        )
    return rows


def tickets_for_approver_by_ids(*, user, ids: list[int]) -> dict[int, RefreshTicket]:
    """The approver's tickets among ``ids``, by id (others are simply absent)."""
    return {t.pk: t for t in tickets_for_approver(user=user).filter(pk__in=ids)}


def ticket_for_approver_edit(*, user, ticket_id: int) -> RefreshTicket:
    """One of the approver's tickets for the edit page (raises ``DoesNotExist``)."""
    return (
        tickets_for_approver(user=user).select_related("config", "chosen_model").get(pk=ticket_id)
    )
