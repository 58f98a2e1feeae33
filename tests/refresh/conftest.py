import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from tests.accounts.factories import SupportTeamFactory
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

S = TicketStatus

REMOTE_ADDRESS = {
    "ship_to_name": "Pat Home",
    "ship_street": "1 Elm St",
    "ship_city": "Ann Arbor",
    "ship_state": "MI",
    "ship_zip": "48104",
}


@pytest.fixture
def admin(make_user):
    return make_user(Role.REFRESH_ADMINISTRATOR, is_staff=True)


@pytest.fixture
def manager(make_user):
    return make_user(Role.REFRESH_MANAGER, is_staff=True)


@pytest.fixture
def approver(make_user):
    return make_user(Role.APPROVER)


@pytest.fixture
def team(db):
    return SupportTeamFactory()


@pytest.fixture
def make_slot(team):
    from scheduling.models import ScheduleSlot

    def _make(*, days=3, capacity=2, slot_team=None):
        start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
        return ScheduleSlot.objects.create(
            team=slot_team or team,
            start=start,
            end=start + dt.timedelta(hours=1),
            capacity=capacity,
        )

    return _make


@pytest.fixture
def flow(db, admin, manager, approver, team, make_slot):
    """flow.to(status, style=..., approval=...) drives a new ticket there through services."""

    class Flow:
        def new(self, *, style=RefreshStyle.ON_PREM, approval=False, replacement=None):
            config = RefreshConfigFactory(
                style=style, requires_approval=approval, support_team=team
            )
            config.approvers.add(approver)
            if style == RefreshStyle.BUMP_DOWN and replacement is None:
                replacement = StockSystemFactory()
            return services.ticket_create(
                system=SystemFactory(),
                config=config,
                actor=admin,
                replacement_system=replacement,
            )

        def to(self, target, *, style=RefreshStyle.ON_PREM, approval=False):
            ticket = self.new(style=style, approval=approval)
            return self.advance(ticket, target)

        def advance(self, ticket, target):
            steps = {
                S.PENDING_INVITE: lambda t: services.ticket_send_invite(ticket=t),
                S.PENDING_CUSTOMER: lambda t: services.ticket_submit_wizard(
                    ticket=t,
                    actor_label="customer",
                    answers=REMOTE_ADDRESS if t.style == RefreshStyle.REMOTE else {},
                ),
                S.PENDING_APPROVAL: lambda t: services.ticket_approve(ticket=t, approver=approver),
                S.PENDING_ORDERING: lambda t: services.tickets_assign_replacements_bulk(
                    assignments=[(t, StockSystemFactory())], actor=admin
                ),
                S.PENDING_ITSM_EXISTENCE: lambda t: services.ticket_itsm_found(ticket=t),
                S.PENDING_SLOT_DISCOVERY: lambda t: services.ticket_slot_discovered(ticket=t),
                S.PENDING_CUSTOMER_SCHEDULING: lambda t: services.ticket_book_slot(
                    ticket=t, slot_id=make_slot().pk
                ),
                S.DELIVERY_SCHEDULED: lambda t: services.ticket_mark_installed(ticket=t),
                S.PENDING_DELIVERY: lambda t: services.ticket_mark_installed(ticket=t),
                S.INSTALLED: lambda t: services.ticket_mark_complete(ticket=t),
            }
            if target == S.CANCELLED:
                return services.ticket_cancel(ticket=ticket, actor=admin, note="test")
            if target == S.ON_HOLD:
                return services.ticket_hold(ticket=ticket, actor=manager, note="test")
            if target == S.PENDING_LOCATION_INFO:
                ticket = self.advance(ticket, S.PENDING_CUSTOMER)
                return services.ticket_expire_wizard(ticket=ticket)
            guard = 0
            while ticket.status != target:
                guard += 1
                assert guard < 15, f"stuck at {ticket.status} on the way to {target}"
                result = steps[ticket.status](ticket)
                ticket = result if hasattr(result, "status") else ticket
                ticket.refresh_from_db()
            return ticket

    return Flow()
