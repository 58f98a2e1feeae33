"""Refresh configs, batches and the systems bulk creation offers."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet

from common.pagination import ShownRowsPaginator, cached_value, counts_changed
from refresh.choices import TicketStatus
from refresh.models import (
    RefreshBatch,
    RefreshBatchRow,
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
    """One batch the person may see, or None (without its ticket count: a batch
    of 100,000 tickets would count them on every view of its page)."""
    return _batches_visible(user=user).select_related("config").filter(pk=batch_id).first()


def _batches_visible(*, user) -> QuerySet[RefreshBatch]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "refresh.view_refreshbatch"
    ):
        return RefreshBatch.objects.none()
    return RefreshBatch.objects.all()


# The cache namespace of the batch list's page count and ticket counts and of a
# batch's row count (common.pagination); dropped when a batch or its tickets are made.
BATCH_COUNTS = "refresh-batches"
BATCH_PAGE_SIZE = 50


def batch_counts_changed() -> None:
    """Forget the cached batch counts (a batch was made, or its tickets)."""
    counts_changed(BATCH_COUNTS)


def _batches_with_ticket_counts(ids: list[int]) -> dict[int, RefreshBatch]:
    batches = {
        b.pk: b
        for b in RefreshBatch.objects.select_related("config", "created_by", "support_team")
        .filter(pk__in=ids)
        .order_by()
    }
    counts = cached_value(
        BATCH_COUNTS,
        "ticket-counts|" + ",".join(map(str, sorted(ids))),
        lambda: dict(
            RefreshTicket.objects.filter(batch_id__in=ids)
            .values_list("batch_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    for pk, batch in batches.items():
        batch.ticket_count = counts.get(pk, 0)
    return batches


def batches_page(*, user, number) -> Page:
    """Page ``number`` of the batches, newest first: the keys alone, then the 50
    batches shown with their ticket counts (cached until tickets are made)."""
    keys = _batches_visible(user=user).order_by("-created_at", "-id")
    return ShownRowsPaginator(
        keys, BATCH_PAGE_SIZE, namespace=BATCH_COUNTS, load_rows=_batches_with_ticket_counts
    ).get_page(number)


def batch_rows_page(*, batch: RefreshBatch, number) -> Page:
    """Page ``number`` of a batch's per-serial report in position order: the
    ``(batch, position)`` index gives the keys, then the 50 rows shown with
    the columns the report shows (OFFSET skips keys; the ticket's number is its
    id, so neither the system nor the ticket is read)."""
    keys = RefreshBatchRow.objects.filter(batch=batch).order_by("position")
    return ShownRowsPaginator(
        keys,
        BATCH_PAGE_SIZE,
        namespace=BATCH_COUNTS,
        load_rows=lambda ids: {
            row.pk: row
            for row in RefreshBatchRow.objects.filter(pk__in=ids)
            .only("id", "position", "serial_number", "outcome", "message", "ticket_id")
            .order_by()
        },
    ).get_page(number)


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
