import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from refresh import selectors, services
from refresh.choices import TicketStatus

S = TicketStatus
pytestmark = pytest.mark.django_db


def test_job_selectors_follow_business_dates(flow):
    ticket = flow.new()
    assert ticket not in selectors.tickets_due_invite()
    later = ticket.invite_at + dt.timedelta(minutes=1)
    assert ticket in selectors.tickets_due_invite(now=later)
    ticket = services.ticket_send_invite(ticket=ticket)
    assert ticket in selectors.tickets_due_reminder(
        which=1, now=ticket.first_reminder_at + dt.timedelta(minutes=1)
    )
    services.ticket_claim_once(ticket=ticket, field="first_reminder_sent_at")
    assert ticket not in selectors.tickets_due_reminder(
        which=1, now=ticket.first_reminder_at + dt.timedelta(minutes=1)
    )
    assert ticket in selectors.tickets_past_wizard_deadline(now=ticket.deadline_at)


def test_problems_include_stale_itsm_wait(flow, admin):
    ticket = flow.to(S.PENDING_ITSM_EXISTENCE)
    assert ticket not in selectors.ticket_problems(user=admin)
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        assert ticket in selectors.ticket_problems(user=admin)
        counts = selectors.focus_counts(user=admin)
        assert counts["problems"] == 1
        assert "3 days" in selectors.problem_reason(ticket)


def test_approver_sees_only_their_configs(flow, approver, make_user):
    from accounts.roles import Role

    ticket = flow.to(S.PENDING_APPROVAL, approval=True)
    assert list(selectors.tickets_for_approver(user=approver)) == [ticket]
    assert selectors.ticket_for_approver(user=approver, ticket_id=ticket.pk) == ticket
    assert not selectors.tickets_for_approver(user=make_user(Role.APPROVER)).exists()


def test_staff_selectors_deny_by_default(flow, coordinator):
    flow.to(S.PENDING_CUSTOMER)
    assert not selectors.tickets_for_staff(user=coordinator).exists()
    assert sum(selectors.status_counts(user=coordinator).values()) == 0
