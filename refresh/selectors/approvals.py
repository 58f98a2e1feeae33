"""Tickets an approver may see: those of the configs naming them."""

from __future__ import annotations

from django.db.models import QuerySet

from refresh.choices import TicketStatus
from refresh.models import RefreshTicket

from .base import _base_list_queryset


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


def tickets_for_approver_by_ids(*, user, ids: list[int]) -> dict[int, RefreshTicket]:
    """The approver's tickets among ``ids``, by id (others are simply absent)."""
    return {t.pk: t for t in tickets_for_approver(user=user).filter(pk__in=ids)}


def ticket_for_approver_edit(*, user, ticket_id: int) -> RefreshTicket:
    """One of the approver's tickets for the edit page (raises ``DoesNotExist``)."""
    return (
        tickets_for_approver(user=user).select_related("config", "chosen_model").get(pk=ticket_id)
    )
