"""Detail pages at size (issue #17 item 3), run by `make bench`: the staff ticket
page answers in under 15 ms median server time, warm, for a ticket with 50
status changes, 50 events and 20 emails among ``DETAIL_BENCH_ROWS`` tickets
(default 10,000), with the same query count as a ticket with no history.

Each timeline shows its newest ``refresh.selectors.TIMELINE_PAGE`` entries, so
a longer history costs nothing more; the "Older entries" page is measured too.
Prints wall and CPU medians and the query count; docs/performance.md has the
figures. PostgreSQL when ``DATABASE_URL`` points at it.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from benchmarks.scale import Server, seed, staff_member

DETAIL_TARGET_MS = 15
ROWS = int(os.environ.get("DETAIL_BENCH_ROWS", "10000"))
AUDITS, EVENTS, EMAILS = 50, 50, 20


def _ticket(actor):
    from refresh import services
    from tests.refresh.factories import RefreshConfigFactory, SystemFactory

    return services.ticket_create(
        system=SystemFactory(), config=RefreshConfigFactory(), actor=actor
    )


def _history(ticket, actor):
    """50 audit rows (creation, then holds and resumes), 50 events, 20 emails."""
    from notifications.models import OutboundEmail
    from refresh import services
    from refresh.models import RefreshTicket

    while ticket.audits.count() < AUDITS:
        ticket = services.ticket_hold(ticket=ticket, actor=actor, note="Waiting on parts")
        if ticket.audits.count() < AUDITS:
            ticket = services.ticket_resume(ticket=ticket, actor=actor)
    for i in range(EVENTS):
        services.ticket_record_event(
            ticket=ticket, kind="comment", summary=f"Called the customer ({i})", actor=actor
        )
    kind = ContentType.objects.get_for_model(RefreshTicket)
    for i in range(EMAILS):
        OutboundEmail.objects.create(
            key=f"bench-ticket-{ticket.pk}-{i}",
            template="refresh_bench",
            to=["customer@example.edu"],
            subject=f"Your new computer ({i})",
            related_type=kind,
            related_id=str(ticket.pk),
        )
    return ticket


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed(tag="detail", tickets=ROWS, orders=0)
        actor = staff_member()
        bare = _ticket(actor)
        full = _history(_ticket(actor), actor)
        yield Server(actor), bare, full
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_ticket_detail_is_fast_and_fixed_whatever_the_history(pages):
    server, bare, full = pages
    url = reverse("refresh:ticket_detail", args=[full.pk])
    cases = {
        "ticket: no history": reverse("refresh:ticket_detail", args=[bare.pk]),
        "ticket: 50 audits, 50 events, 20 emails": url,
        "ticket: older audits and events": f"{url}?audits=2&events=2",
    }
    baseline = server.queries(cases["ticket: no history"])
    print(f"\n{'case':42} {'wall':>9} {'CPU':>9} {'queries':>8}  ({ROWS:,} tickets)")
    slow, drift = [], []
    for name, case_url in cases.items():
        queries = server.queries(case_url)
        wall, cpu = server.median_ms(case_url)
        print(f"{name:42} {wall:7.1f}ms {cpu:7.1f}ms {queries:8d}")
        if wall >= DETAIL_TARGET_MS:
            slow.append(f"{name}: {wall:.1f} ms")
        if queries != baseline:
            drift.append(f"{name}: {queries} queries, {baseline} with no history")
    assert drift == []
    assert slow == []
