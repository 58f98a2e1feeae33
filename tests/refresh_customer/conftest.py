import pytest

from accounts.roles import Role
from notifications.links import access_link_issue
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from tests.refresh.conftest import (  # noqa: F401  (fixtures reused here)
    REMOTE_ADDRESS,
    admin,
    approver,
    flow,
    make_slot,
    manager,
    team,
)
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

S = TicketStatus


@pytest.fixture
def link_for():
    """link_for(ticket, purpose="refresh_wizard", days=None) -> URL of a fresh link."""

    def _link(ticket, purpose="refresh_wizard", days=None):
        issued = access_link_issue(
            target=ticket, purpose=purpose, email="customer@example.edu", days=days
        )
        return f"/refresh/c/{issued.token}/"

    return _link


@pytest.fixture
def wizard_ticket(db, admin, approver, team):  # noqa: F811
    """wizard_ticket(style=..., approval=..., **config options) -> a pending_customer ticket."""

    def _make(*, style=RefreshStyle.REMOTE, approval=False, **options):
        config = RefreshConfigFactory(
            style=style, requires_approval=approval, support_team=team, **options
        )
        config.approvers.add(approver)
        ticket = services.ticket_create(system=SystemFactory(), config=config, actor=admin)
        ticket = services.ticket_send_invite(ticket=ticket)
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_CUSTOMER
        return ticket

    return _make


@pytest.fixture
def other_approver(make_user):
    return make_user(Role.APPROVER)
