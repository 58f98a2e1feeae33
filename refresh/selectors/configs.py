"""Refresh configs, batches and the systems bulk creation offers."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from refresh.choices import TicketStatus
from refresh.models import (
    RefreshBatch,
    RefreshConfig,
    RefreshConfigAudit,
    RefreshTicket,
    System,
)

S = TicketStatus


def configs_for_staff(*, user) -> QuerySet[RefreshConfig]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "refresh.view_refreshconfig"
    ):
        return RefreshConfig.objects.none()
    return (
        RefreshConfig.objects.select_related("organization", "support_team", "peripheral_bundle")
        .annotate(
            open_tickets=Count("tickets", filter=~Q(tickets__status__in=[S.COMPLETE, S.CANCELLED]))
        )
        .order_by("name")
    )


def config_detail(*, user, config_id: int) -> RefreshConfig:
    return (
        configs_for_staff(user=user)
        .prefetch_related(
            "approvers", "approved_models", "approved_peripherals", "software_catalog"
        )
        .get(pk=config_id)
    )


def config_for_edit(*, user, config_id: int) -> RefreshConfig:
    """A config an administrator edits (raises ``RefreshConfig.DoesNotExist``)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "refresh.change_refreshconfig"
    ):
        raise RefreshConfig.DoesNotExist
    return RefreshConfig.objects.get(pk=config_id)


def config_audits(*, config: RefreshConfig) -> QuerySet[RefreshConfigAudit]:
    """The config's change history, oldest first, with who made each change."""
    return RefreshConfigAudit.objects.filter(config=config).select_related("actor")


def configs_active() -> QuerySet[RefreshConfig]:
    """Active configs by name (the admin's "open refresh tickets" picker)."""
    return RefreshConfig.objects.filter(active=True).order_by("name")


def config_active_get(*, config_id) -> RefreshConfig | None:
    """The active config ``config_id`` names, or None (bad or missing input)."""
    try:
        return configs_active().filter(pk=int(config_id)).first()
    except (TypeError, ValueError):
        return None


def configs_by_name() -> QuerySet[RefreshConfig]:
    """Every config by name (the order group's config filter)."""
    return RefreshConfig.objects.order_by("name")


def batch_for_staff(*, user, batch_id: int) -> RefreshBatch | None:
    """One batch the person may see, or None."""
    return batches_for_staff(user=user).filter(pk=batch_id).first()


def batches_for_staff(*, user) -> QuerySet[RefreshBatch]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "refresh.view_refreshbatch"
    ):
        return RefreshBatch.objects.none()
    return (
        RefreshBatch.objects.select_related("config", "created_by", "support_team")
        .annotate(ticket_count=Count("tickets"))
        .order_by("-created_at", "-id")
    )


def batch_rows(*, batch: RefreshBatch):
    return batch.rows.select_related("system", "ticket").order_by("position")


def systems_for_bulk_creation(
    *, user, q: str = "", organization_id: str = "", platform: str = ""
) -> QuerySet[System]:
    """In-use systems without an open ticket, for the bulk creator page."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "refresh.bulk_manage_refreshticket"
    ):
        return System.objects.none()
    open_ids = RefreshTicket.objects.exclude(status__in=[S.COMPLETE, S.CANCELLED]).values(
        "existing_system_id"
    )
    qs = (
        System.objects.filter(status="in_use")
        .exclude(pk__in=open_ids)
        .select_related("hardware_model", "current_user", "organization")
    )
    if q.strip():
        term = q.strip()
        qs = qs.filter(
            Q(serial_number__istartswith=term)
            | Q(name__icontains=term)
            | Q(current_user__full_name__icontains=term)
            | Q(current_user__email__icontains=term)
            | Q(building__icontains=term)
        )
    if organization_id.isdigit():
        qs = qs.filter(organization_id=int(organization_id))
    if platform:
        qs = qs.filter(platform=platform)
    return qs.order_by("serial_number")
