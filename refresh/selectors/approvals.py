"""Tickets an approver may see: those of the configs naming them."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import QuerySet

from common.pagination import ShownRowsPaginator
from refresh.choices import TicketStatus
from refresh.models import RefreshConfig, RefreshTicket

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


def _approval_rows(ids: list[int]) -> dict[int, RefreshTicket]:
    """The tickets ``ids`` (already the approver's) with what their cards show,
    and nothing more: every extra joined table costs PostgreSQL planning time
    (a 12-table join took 18 ms to plan and 1.4 ms to run)."""
    tickets = (
        RefreshTicket.objects.filter(pk__in=ids)
        .select_related(
            "user", "config", "existing_system__hardware_model", "proposed_model", "chosen_model"
        )
        .prefetch_related("peripherals", "software_requests")
    )
    return {t.pk: t for t in tickets}


def tickets_for_approver_by_ids(*, user, ids: list[int]) -> dict[int, RefreshTicket]:
    """The approver's tickets among ``ids``, by id (others are simply absent)."""
    return {t.pk: t for t in tickets_for_approver(user=user).filter(pk__in=ids)}


def ticket_for_approver_edit(*, user, ticket_id: int) -> RefreshTicket:
    """One of the approver's tickets for the edit page (raises ``DoesNotExist``)."""
    return (
        tickets_for_approver(user=user).select_related("config", "chosen_model").get(pk=ticket_id)
    )
