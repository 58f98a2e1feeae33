"""Reads for the stub page."""

from django.db.models import Count, Q

from .models import StubITSMAsset, StubITSMTicket, StubSettings, StubSlackMessage


def stub_tickets(*, q: str = "", status: str = ""):
    tickets = StubITSMTicket.objects.annotate(task_count=Count("tasks")).order_by("-id")
    q = q.strip().lstrip("#")
    if q:
        match = Q(title__icontains=q) | Q(requestor_email__icontains=q) | Q(location__icontains=q)
        if q.isdigit():
            match |= Q(pk=int(q))
        tickets = tickets.filter(match)
    if status:
        tickets = tickets.filter(status=status)
    return tickets


def stub_ticket_detail(*, ticket_id: int) -> StubITSMTicket:
    return StubITSMTicket.objects.prefetch_related("tasks", "assets").get(pk=ticket_id)


def stub_outage_on() -> bool:
    return StubSettings.objects.filter(pk=1, itsm_outage=True).exists()


def stub_recent_assets(*, limit: int = 10):
    return StubITSMAsset.objects.order_by("-created_at", "-id")[:limit]


def stub_recent_slack_messages(*, limit: int = 10):
    return StubSlackMessage.objects.order_by("-created_at", "-id")[:limit]
