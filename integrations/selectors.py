"""Reads for the stand-in ITSM page (views never build querysets)."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import Count, F, Q, QuerySet

from common.pagination import ShownRowsPaginator, counts_changed

from .models import StubITSMAsset, StubITSMTicket, StubSettings, StubSlackMessage

# The cache namespace of the stub page's counts (common.pagination).
STUB_COUNTS = "itsm-stub"
STUB_PAGE_SIZE = 50
# A search matching at most this many rows sorts its matches instead of walking
# the list's order (see ``stub_tickets_page``).
FEW_MATCHES = 5000


def stub_counts_changed() -> None:
    """Forget the stub page's cached counts (a stub ticket was made)."""
    counts_changed(STUB_COUNTS)


def stub_tickets_list(*, q: str = "") -> QuerySet[StubITSMTicket]:
    """Stub ITSM tickets, newest first, with task counts; ``q`` matches title, email or id."""
    tickets = StubITSMTicket.objects.annotate(
        task_count=Count("tasks"),
        done_count=Count("tasks", filter=Q(tasks__completed_at__isnull=False)),
    ).order_by("-id")
    q = q.strip()
    if q:
        match = Q(title__icontains=q) | Q(requestor_email__icontains=q)
        if q.isdigit():
            match |= Q(pk=int(q))
        tickets = tickets.filter(match)
    return tickets


def _stub_ticket_keys(*, q: str) -> QuerySet[StubITSMTicket]:
    keys = StubITSMTicket.objects.order_by("-id")
    q = q.strip()
    if q:
        match = Q(title__icontains=q) | Q(requestor_email__icontains=q)
        if q.isdigit():
            match |= Q(pk=int(q))
        keys = keys.filter(match)
    return keys


# What the stub page's table shows of a ticket (``integrations.stub_rows``).
STUB_ROW_COLUMNS = ("id", "title", "requestor_email", "status")


def stub_tickets_page(*, q: str = "", number) -> Page:
    """Page ``number`` of the stub tickets, newest first, flat at any size: the
    keys alone (the primary key index; trigram indexes serve ``q`` on
    PostgreSQL), then the 50 shown with their task counts; the count is cached
    until a stub ticket is made."""
    keys = _stub_ticket_keys(q=q)
    paginator = ShownRowsPaginator(
        keys,
        STUB_PAGE_SIZE,
        namespace=STUB_COUNTS,
        load_rows=lambda ids: {
            t.pk: t for t in stub_tickets_list().only(*STUB_ROW_COLUMNS).filter(pk__in=ids)
        },
    )
    if q.strip() and paginator.count <= FEW_MATCHES:
        # A rare term: walking the ids newest first would read most of the table
        # to find 50 matches; the trigram indexes find them all, then a small
        # sort (NULLS LAST, which the primary key's order cannot give).
        paginator.object_list = keys.order_by(F("id").desc(nulls_last=True))
    return paginator.get_page(number)


def stub_ticket_get(*, ticket_id: int) -> StubITSMTicket | None:
    """One stub ticket with its tasks and assets, or None."""
    return StubITSMTicket.objects.prefetch_related("tasks", "assets").filter(pk=ticket_id).first()


def stub_ticket_exists(*, ticket_id: int) -> bool:
    return StubITSMTicket.objects.filter(pk=ticket_id).exists()


def stub_assets_recent(*, limit: int = 10) -> list[StubITSMAsset]:
    return list(StubITSMAsset.objects.order_by("-created_at")[:limit])


def stub_slack_recent(*, limit: int = 10) -> list[StubSlackMessage]:
    return list(StubSlackMessage.objects.all()[:limit])


def stub_settings() -> StubSettings:
    return StubSettings.current()
