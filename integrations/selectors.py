"""Reads for the stand-in ITSM page (views never build querysets)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import StubITSMAsset, StubITSMTicket, StubSettings, StubSlackMessage


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
