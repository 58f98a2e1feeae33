"""Constructed data for the reports tests: tickets, audits, orders and actions with
chosen statuses and times, so every number a dashboard shows is known."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from orders.choices import ActionKind, ActionStatus, OrderStatus, OrderType
from orders.models import Order, OrderAction, OrderQueue
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket, RefreshTicketAudit
from tests.accounts.factories import SupportTeamFactory
from tests.orders.factories import OrderFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

S = TicketStatus


def local_dt(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def refresh_admin(make_user):
    return make_user(Role.REFRESH_ADMINISTRATOR)


@pytest.fixture
def refresh_manager(make_user):
    return make_user(Role.REFRESH_MANAGER)


@pytest.fixture
def orders_manager(make_user):
    return make_user(Role.ORDERS_MANAGER)


@pytest.fixture
def team(db):
    return SupportTeamFactory(name="North team")


@pytest.fixture
def config(db, team):
    return RefreshConfigFactory(name="Campaign A", support_team=team)


@pytest.fixture
def make_ticket(config, team):
    """make_ticket(status, created=..., changed=..., audits=[(status, at), ...])."""

    def _make(status=S.PENDING_INVITE, *, created=None, changed=None, audits=(), **fields):
        now = timezone.now()
        created = created or now
        ticket = RefreshTicket.objects.create(
            existing_system=fields.pop("system", None) or SystemFactory(),
            config=fields.pop("config", config),
            support_team=fields.pop("support_team", team),
            style=fields.pop("style", RefreshStyle.ON_PREM),
            status=status,
            created_at=created,
            status_changed_at=changed or created,
            **fields,
        )
        # As the transition runner stores them: each row after the first ends the
        # stay the previous one began (from its status, for the time between them).
        RefreshTicketAudit.objects.bulk_create(
            RefreshTicketAudit(
                ticket=ticket,
                from_status=audits[i - 1][0] if i else "",
                to_status=to,
                created_at=at,
                stay_seconds=(at - audits[i - 1][1]).total_seconds() if i else None,
                support_team_id=ticket.support_team_id,
            )
            for i, (to, at) in enumerate(audits)
        )
        return ticket

    return _make


@pytest.fixture
def queue(db):
    return OrderQueue.objects.create(name="Email desk", order_type=OrderType.EMAIL_ONLY)


@pytest.fixture
def make_order(queue):
    """make_order(status, created=..., completed=..., planned=..., steps=[(status, at)])."""

    def _make(status=OrderStatus.SUBMITTED, *, created=None, steps=(), **fields):
        created = created or timezone.now()
        order = OrderFactory(
            queue=fields.pop("queue", queue),
            status=status,
            created_at=created,
            submitted_at=fields.pop("submitted", created),
            **fields,
        )
        # As the services store it: each finished step waited from the previous
        # step's processing (the order's submission for the first); a step done
        # keeps how long that took and its order's queue.
        waited = [order.submitted_at] + [at for _, at in steps]
        OrderAction.objects.bulk_create(
            OrderAction(
                order=order,
                position=i,
                name=f"Step {i}",
                kind=ActionKind.MANUAL,
                status=step_status,
                processed_at=at,
                waiting_since=waited[i - 1] if at is not None else None,
                duration_seconds=(at - waited[i - 1]).total_seconds()
                if step_status == ActionStatus.DONE
                else None,
                done_queue=order.queue if step_status == ActionStatus.DONE else None,
            )
            for i, (step_status, at) in enumerate(steps, start=1)
        )
        return order

    return _make


__all__ = ["ActionStatus", "Order", "local_dt"]
