"""Two transitions on one ticket at once: exactly one wins (PostgreSQL row locks)."""

import pytest
from django.db import connection

from refresh import services
from refresh.choices import TicketStatus
from tests.concurrency import race

S = TicketStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _race(*calls):
    return race(*calls)


def test_two_submits_of_one_wizard_only_one_wins(flow):
    ticket = flow.to(S.PENDING_CUSTOMER)
    results = _race(
        lambda: services.ticket_submit_wizard(ticket=ticket, actor_label="customer"),
        lambda: services.ticket_expire_wizard(ticket=ticket, job="wizard_deadlines"),
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1
    assert len(losers) == 1
    ticket.refresh_from_db()
    assert (
        ticket.audits.exclude(transition="create").exclude(from_status=S.PENDING_INVITE).count()
        == 1
    )


def test_two_holds_at_once_leave_one_audit(flow, manager, admin):
    ticket = flow.to(S.PENDING_SLOT_DISCOVERY)
    before = ticket.audits.count()
    results = _race(
        lambda: services.ticket_hold(ticket=ticket, actor=manager, note="first"),
        lambda: services.ticket_hold(ticket=ticket, actor=admin, note="second"),
    )
    assert sum(1 for r in results if not isinstance(r, Exception)) == 1
    assert ticket.audits.count() == before + 1
    ticket.refresh_from_db()
    assert ticket.status == S.ON_HOLD
    assert ticket.status_before_hold == S.PENDING_SLOT_DISCOVERY


def test_same_job_twice_at_once_advances_once(flow):
    ticket = flow.to(S.PENDING_ITSM_EXISTENCE)
    results = _race(
        lambda: services.ticket_itsm_found(ticket=ticket, job="worker-1"),
        lambda: services.ticket_itsm_found(ticket=ticket, job="worker-2"),
    )
    assert sum(1 for r in results if not isinstance(r, Exception)) == 1
    assert ticket.audits.filter(transition="itsm_found").count() == 1
