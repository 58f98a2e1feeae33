"""Durations the dashboards rank, stored as things happen:

* the stay each ticket transition row ends (``RefreshTicketAudit.stay_seconds``): set by
  the transition runner, filled by migration ``refresh.0009``, never by an edit;
* the time each order step took and its queue (``OrderAction.duration_seconds``,
  ``done_queue``): set in the UPDATE that finishes the step, filled by
  migration ``orders.0010``, not for skipped steps.
"""

import datetime as dt
import importlib

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from orders.choices import ActionStatus, OrderStatus
from orders.models import OrderAction
from orders.services import order_action_process, order_action_skip
from refresh.choices import TicketStatus
from refresh.models import RefreshTicketAudit
from refresh.services import (
    ticket_admin_update,
    ticket_cancel,
    ticket_create,
    ticket_hold,
    ticket_resume,
    ticket_send_invite,
)
from reports import selectors
from reports.selectors import RefreshDashboardFilters
from tests.refresh.factories import SystemFactory

S = TicketStatus
DAY = dt.timedelta(days=1)
DAY_S = DAY.total_seconds()
pytestmark = pytest.mark.django_db


class _Editor:
    """What a data migration's function uses of its schema editor (SQLite refuses a
    real one inside the test's transaction)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def walked(config, refresh_admin):
    """A ticket created at t0, invited a day later, held two days after that, edited
    in the admin while held, resumed three days after the hold, cancelled a day later."""
    t0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)
    with time_machine.travel(t0, tick=False):
        ticket = ticket_create(system=SystemFactory(), config=config)
    with time_machine.travel(t0 + DAY, tick=False):
        ticket_send_invite(ticket=ticket)
    with time_machine.travel(t0 + 3 * DAY, tick=False):
        ticket_hold(ticket=ticket, actor=refresh_admin)
    with time_machine.travel(t0 + 4 * DAY, tick=False):
        ticket_admin_update(ticket=ticket, actor=refresh_admin, data={"location_room": "B12"})
    with time_machine.travel(t0 + 6 * DAY, tick=False):
        ticket_resume(ticket=ticket, actor=refresh_admin)
    with time_machine.travel(t0 + 7 * DAY, tick=False):
        ticket_cancel(ticket=ticket, actor=refresh_admin)
    return ticket


def _rows(ticket):
    return list(
        RefreshTicketAudit.objects.filter(ticket=ticket)
        .order_by("created_at", "id")
        .values_list("transition", "from_status", "stay_seconds", "support_team__name")
    )


def test_each_transition_stores_the_stay_it_ends_and_edits_store_none(walked):
    assert _rows(walked) == [
        ("create", "", None, "North team"),
        ("send_invite", S.PENDING_INVITE, DAY_S, "North team"),
        ("hold", S.PENDING_CUSTOMER, 2 * DAY_S, "North team"),
        ("admin_edited", S.ON_HOLD, None, None),  # an edit ends no stay ...
        ("resume", S.ON_HOLD, 3 * DAY_S, "North team"),  # ... so the hold lasted three days
        ("cancel", S.PENDING_CUSTOMER, DAY_S, "North team"),
    ]


def test_days_per_status_rank_the_stored_stays(walked):
    rows = {
        r["status"]: r
        for r in selectors.refresh_status_durations(filters=RefreshDashboardFilters())
    }
    assert rows[S.PENDING_INVITE]["median"] == pytest.approx(1.0)
    assert rows[S.PENDING_CUSTOMER]["count"] == 2  # before the hold and after it
    assert rows[S.PENDING_CUSTOMER]["median"] == pytest.approx(1.5)
    assert rows[S.PENDING_CUSTOMER]["p90"] == pytest.approx(1.9)
    assert rows[S.ON_HOLD]["median"] == pytest.approx(3.0)
    assert S.CANCELLED not in rows  # a final status is never left


def test_the_migration_fills_the_stays_the_runner_stores(walked, make_ticket):
    """Migration 0009's UPDATE (a window over each ticket's non-edit rows) gives
    exactly what the transition runner stores, edits skipped."""
    migration = importlib.import_module("refresh.migrations.0009_audit_stay_per_status")
    t0 = timezone.now() - dt.timedelta(days=10)
    other = make_ticket(
        S.PENDING_CUSTOMER, audits=[(S.PENDING_INVITE, t0), (S.PENDING_CUSTOMER, t0 + 2 * DAY)]
    )
    expected = _rows(walked), _rows(other)
    dashboard = selectors.refresh_status_durations(filters=RefreshDashboardFilters())
    RefreshTicketAudit.objects.update(stay_seconds=None, support_team=None)
    migration.fill_stays(None, _Editor())
    assert (_rows(walked), _rows(other)) == expected
    assert selectors.refresh_status_durations(filters=RefreshDashboardFilters()) == dashboard


@pytest.fixture
def worked(make_order, make_user, queue):
    """An order submitted at t0: step 1 done a day later, step 2 skipped two days
    after that, step 3 done a day after the skip."""
    technician = make_user(Role.ORDERS_TECHNICIAN)
    t0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)
    order = make_order(
        OrderStatus.SUBMITTED, submitted=t0, steps=[(ActionStatus.PENDING, None)] * 4
    )
    steps = list(order.actions.order_by("position"))
    with time_machine.travel(t0 + DAY, tick=False):
        order_action_process(action=steps[0], actor=technician)
    with time_machine.travel(t0 + 3 * DAY, tick=False):
        order_action_skip(action=steps[1], actor=technician, note="Not needed.")
    with time_machine.travel(t0 + 4 * DAY, tick=False):
        done = order_action_process(action=steps[2], actor=technician)
    assert done.duration_seconds == DAY_S  # read back from the database, not the expression
    return order


def _steps(order):
    return list(
        OrderAction.objects.filter(order=order)
        .order_by("position")
        .values_list("status", "duration_seconds", "done_queue__name")
    )


def test_a_step_done_stores_its_time_and_queue_and_a_skipped_one_neither(worked):
    assert _steps(worked) == [
        (ActionStatus.DONE, DAY_S, "Email desk"),
        (ActionStatus.SKIPPED, None, None),  # skipped steps are not counted ...
        (ActionStatus.DONE, DAY_S, "Email desk"),  # ... but the next one waits from them
        (ActionStatus.PENDING, None, None),
    ]
    rows = {r["position"]: r for r in selectors.orders_action_times()}
    assert sorted(rows) == [1, 3]
    assert rows[1]["queue"] == "Email desk"
    assert rows[1]["median"] == pytest.approx(1.0)


def test_the_migration_fills_step_times_as_the_services_store_them(worked, make_order):
    """Migration 0010's UPDATE gives the services' values: done steps only, each
    from its ``waiting_since`` (migration 0009) to its processing, in its order's queue."""
    migration = importlib.import_module("orders.migrations.0011_action_duration_and_done_queue")
    t0 = timezone.now() - dt.timedelta(days=10)
    other = make_order(
        OrderStatus.COMPLETED,
        submitted=t0,
        steps=[(ActionStatus.DONE, t0 + 2 * DAY), (ActionStatus.DONE, t0 + 5 * DAY)],
    )
    expected = _steps(worked), _steps(other)
    assert expected[1] == [(ActionStatus.DONE, 2 * DAY_S, "Email desk")] + [
        (ActionStatus.DONE, 3 * DAY_S, "Email desk")
    ]
    dashboard = selectors.orders_action_times()
    OrderAction.objects.update(duration_seconds=None, done_queue=None)
    assert selectors.orders_action_times() == []
    migration.fill_durations(None, _Editor())
    assert (_steps(worked), _steps(other)) == expected
    assert selectors.orders_action_times() == dashboard
