"""Dashboard numbers checked against constructed data, and their query counts."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from orders.choices import ActionStatus, OrderStatus, OrderType
from refresh.choices import TicketStatus
from reports import selectors
from reports.models import MetricSnapshot
from reports.selectors import RefreshDashboardFilters, percentile
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.reports.conftest import local_dt
from tests.scheduling.factories import ScheduleSlotFactory

S = TicketStatus
pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.datetime:
    return local_dt(timezone.localdate() - dt.timedelta(days=n))


def test_percentile_matches_percentile_cont():
    assert percentile([1, 2], 0.5) == 1.5
    assert percentile([1, 2], 0.9) == pytest.approx(1.9)
    assert percentile([4], 0.9) == 4
    assert percentile([], 0.5) is None


def test_funnel_counts_tickets_per_status(make_ticket, config):
    make_ticket(S.PENDING_INVITE)
    make_ticket(S.PENDING_INVITE)
    make_ticket(S.PENDING_APPROVAL)
    data = selectors.refresh_funnel(tickets=selectors._tickets(RefreshDashboardFilters()))
    counts = {status: n for status, _, n in data}
    assert counts[S.PENDING_INVITE] == 2
    assert counts[S.PENDING_APPROVAL] == 1
    assert counts[S.COMPLETE] == 0
    assert [status for status, _, _ in data] == list(S.values)


def test_filters_narrow_every_count(make_ticket, team):
    from tests.refresh.factories import RefreshConfigFactory

    other_config = RefreshConfigFactory()
    make_ticket(S.PENDING_INVITE)
    make_ticket(S.PENDING_INVITE, config=other_config)
    make_ticket(S.PENDING_INVITE, created=days_ago(40))
    filters = RefreshDashboardFilters(
        config=other_config.pk, start=timezone.localdate() - dt.timedelta(days=7)
    )
    data = selectors.refresh_funnel(tickets=selectors._tickets(filters))
    assert dict((s, n) for s, _, n in data)[S.PENDING_INVITE] == 1
    recent = RefreshDashboardFilters(start=timezone.localdate() - dt.timedelta(days=7))
    data = selectors.refresh_funnel(tickets=selectors._tickets(recent))
    assert dict((s, n) for s, _, n in data)[S.PENDING_INVITE] == 2


def test_burndown_counts_open_tickets_at_the_end_of_each_day(make_ticket):
    make_ticket(S.PENDING_CUSTOMER, created=days_ago(3))
    make_ticket(S.COMPLETE, created=days_ago(3), changed=days_ago(1))
    make_ticket(S.PENDING_INVITE, created=days_ago(2))
    make_ticket(S.CANCELLED, created=days_ago(2), changed=days_ago(2))
    series = selectors.refresh_burndown(tickets=selectors._tickets(RefreshDashboardFilters()))
    today = timezone.localdate()
    assert series == [
        (today - dt.timedelta(days=3), 2),
        (today - dt.timedelta(days=2), 3),
        (today - dt.timedelta(days=1), 2),
        (today, 2),
    ]


def test_days_in_each_status_are_median_and_90th_percentile_of_finished_stays(make_ticket):
    t0 = days_ago(10)
    day = dt.timedelta(days=1)
    make_ticket(
        S.PENDING_APPROVAL,
        audits=[
            (S.PENDING_INVITE, t0),
            (S.PENDING_CUSTOMER, t0 + day),
            (S.PENDING_APPROVAL, t0 + 3 * day),
        ],
    )
    make_ticket(
        S.PENDING_CUSTOMER,
        audits=[(S.PENDING_INVITE, t0), (S.PENDING_CUSTOMER, t0 + 2 * day)],
    )
    rows = {
        r["status"]: r
        for r in selectors.refresh_status_durations(filters=RefreshDashboardFilters())
    }
    assert rows[S.PENDING_INVITE]["median"] == pytest.approx(1.5)
    assert rows[S.PENDING_INVITE]["p90"] == pytest.approx(1.9)
    assert rows[S.PENDING_INVITE]["count"] == 2
    assert rows[S.PENDING_CUSTOMER]["median"] == pytest.approx(2.0)
    assert rows[S.PENDING_CUSTOMER]["count"] == 1
    # A stay that has not ended (pending approval now) is not a duration yet.
    assert S.PENDING_APPROVAL not in rows


def test_stuck_tickets_count_open_ones_older_than_n_business_days(make_ticket):
    make_ticket(S.PENDING_CUSTOMER, changed=days_ago(30))
    make_ticket(S.PENDING_CUSTOMER, changed=timezone.now())
    make_ticket(S.COMPLETE, changed=days_ago(30))
    make_ticket(S.ON_HOLD, changed=days_ago(30))
    rows, before = selectors.refresh_stuck(
        tickets=selectors._tickets(RefreshDashboardFilters()), business_days=5
    )
    assert rows == [
        (S.PENDING_CUSTOMER, S.PENDING_CUSTOMER.label, 1),
        (S.ON_HOLD, S.ON_HOLD.label, 1),
    ]
    assert (timezone.localdate() - before).days >= 5


def test_approvals_waiting_per_approver(make_ticket, config):
    ann, bob = UserFactory(full_name="Ann Approver"), UserFactory(full_name="Bob Approver")
    config.approvers.add(ann, bob)
    from tests.refresh.factories import RefreshConfigFactory

    solo = RefreshConfigFactory()
    solo.approvers.add(bob)
    make_ticket(S.PENDING_APPROVAL)
    make_ticket(S.PENDING_APPROVAL)
    make_ticket(S.PENDING_APPROVAL, config=solo)
    make_ticket(S.PENDING_ORDERING)
    rows = selectors.refresh_approvals_waiting(
        tickets=selectors._tickets(RefreshDashboardFilters())
    )
    assert rows == [("Bob Approver", 3), ("Ann Approver", 2)]


def test_installs_per_week_against_slot_capacity(make_ticket, team):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    other = SupportTeamFactory(name="South team")
    make_ticket(S.INSTALLED, audits=[(S.INSTALLED, local_dt(monday, 10))])
    make_ticket(S.COMPLETE, audits=[(S.INSTALLED, local_dt(monday, 11))])
    make_ticket(S.INSTALLED, audits=[(S.INSTALLED, local_dt(monday - dt.timedelta(days=7)))])
    ScheduleSlotFactory(team=team, start=local_dt(monday, 9), capacity=3)
    ScheduleSlotFactory(team=team, start=local_dt(monday, 13), capacity=2)
    ScheduleSlotFactory(team=other, start=local_dt(monday, 9), capacity=4)
    rows, totals = selectors.refresh_installs_vs_capacity(filters=RefreshDashboardFilters())
    this_week = [r for r in rows if r["week"] == monday]
    assert {(r["team"], r["installs"], r["capacity"]) for r in this_week} == {
        ("North team", 2, 5),
        ("South team", 0, 4),
    }
    assert totals[-1] == (monday, 2, 9)
    assert totals[-2] == (monday - dt.timedelta(days=7), 1, 0)
    assert len(totals) == selectors.WEEKS_SHOWN


def test_problems_over_time_reads_snapshots_and_today_live(make_ticket, refresh_manager):
    MetricSnapshot.objects.create(
        name=selectors.METRIC_PROBLEMS, date=timezone.localdate() - dt.timedelta(days=1), value=7
    )
    make_ticket(S.PENDING_LOCATION_INFO)
    data = selectors.refresh_dashboard(user=refresh_manager, filters=RefreshDashboardFilters())
    assert data.problems == [
        (timezone.localdate() - dt.timedelta(days=1), 7),
        (timezone.localdate(), 1),
    ]


@pytest.mark.parametrize("tickets", [1, 6])
def test_refresh_dashboard_page_runs_a_fixed_number_of_queries(
    client, refresh_manager, make_ticket, tickets, django_assert_num_queries
):
    for i in range(tickets):
        make_ticket(
            S.PENDING_CUSTOMER, created=days_ago(i), audits=[(S.PENDING_INVITE, days_ago(i))]
        )
    client.force_login(refresh_manager)
    client.get(reverse("reports:refresh_dashboard"), {"stuck_days": "3"})
    with django_assert_num_queries(2):  # cached for a minute: session, user
        client.get(reverse("reports:refresh_dashboard"), {"stuck_days": "3"})
    cache.clear()
    # session, user, 2 permission reads, 9 aggregates, the Problems count today,
    # its history, the config / batch / team choices, the user's groups (navigation)
    with django_assert_num_queries(18):
        response = client.get(reverse("reports:refresh_dashboard"), {"stuck_days": "3"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert 'role="img"' in body
    assert "style=" not in body.split("<main", 1)[1]


def test_refresh_dashboard_shows_the_numbers_in_tables(client, refresh_manager, make_ticket):
    make_ticket(S.PENDING_APPROVAL)
    make_ticket(S.PENDING_APPROVAL)
    client.force_login(refresh_manager)
    response = client.get(reverse("reports:refresh_dashboard"))
    html = response.content.decode()
    assert '<th scope="row">Pending approval</th><td class="num">2</td>' in html


# --- order desk -------------------------------------------------------------------------
def test_open_orders_per_queue_and_owner(make_order, queue):
    from orders.models import OrderQueue

    other = OrderQueue.objects.create(name="Software desk", order_type=OrderType.INSTALL_SOFTWARE)
    ann = UserFactory(full_name="Ann Owner")
    make_order(OrderStatus.SUBMITTED, owner=ann)
    make_order(OrderStatus.IN_PROGRESS, owner=ann)
    make_order(OrderStatus.ON_HOLD)
    make_order(OrderStatus.SUBMITTED, queue=other, owner=ann)
    make_order(OrderStatus.COMPLETED, owner=ann)
    make_order(OrderStatus.DRAFT, owner=ann)
    from orders.models import Order

    rows = selectors.orders_open_by_queue_owner(orders=Order.objects.order_by())
    assert rows == [
        {"queue": "Email desk", "owner": "Ann Owner", "count": 2},
        {"queue": "Email desk", "owner": "Unassigned", "count": 1},
        {"queue": "Software desk", "owner": "Ann Owner", "count": 1},
    ]


def test_created_vs_completed_per_week(make_order):
    from orders.models import Order

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    make_order(OrderStatus.SUBMITTED, created=local_dt(monday))
    make_order(OrderStatus.COMPLETED, created=local_dt(monday - dt.timedelta(days=7)),
               completed_at=local_dt(monday))  # fmt: skip
    make_order(OrderStatus.DRAFT, created=local_dt(monday))
    rows = selectors.orders_created_vs_completed(orders=Order.objects.order_by())
    assert rows[-1] == (monday, 1, 1)
    assert rows[-2] == (monday - dt.timedelta(days=7), 1, 0)


def test_planned_vs_actual_completion_per_type(make_order):
    from orders.models import Order

    planned = timezone.localdate() - dt.timedelta(days=5)
    make_order(OrderStatus.COMPLETED, planned_completion_date=planned,
               completed_at=local_dt(planned, 17))  # fmt: skip
    make_order(OrderStatus.COMPLETED, planned_completion_date=planned,
               completed_at=local_dt(planned + dt.timedelta(days=1), 9))  # fmt: skip
    make_order(OrderStatus.COMPLETED, completed_at=local_dt(planned))  # no plan: not counted
    make_order(OrderStatus.SUBMITTED, planned_completion_date=planned)  # not done: not counted
    rows = {r["type"]: r for r in selectors.orders_on_time(orders=Order.objects.order_by())}
    assert (rows[OrderType.EMAIL_ONLY]["on_time"], rows[OrderType.EMAIL_ONLY]["late"]) == (1, 1)
    assert rows[OrderType.INSTALL_SOFTWARE]["on_time"] == 0


def test_time_per_step_runs_from_the_previous_step(make_order):

    t0 = days_ago(20)
    day = dt.timedelta(days=1)
    make_order(
        submitted=t0, steps=[(ActionStatus.DONE, t0 + day), (ActionStatus.DONE, t0 + 4 * day)]
    )
    make_order(
        submitted=t0,
        steps=[(ActionStatus.DONE, t0 + 3 * day), (ActionStatus.SKIPPED, t0 + 4 * day),
               (ActionStatus.PENDING, None)],
    )  # fmt: skip
    rows = selectors.orders_action_times()
    by_step = {(r["queue"], r["position"]): r for r in rows}
    assert by_step[("Email desk", 1)]["median"] == pytest.approx(2.0)  # 1 and 3 days
    assert by_step[("Email desk", 1)]["count"] == 2
    assert by_step[("Email desk", 2)]["median"] == pytest.approx(3.0)  # skipped one not counted
    assert by_step[("Email desk", 2)]["count"] == 1
    assert ("Email desk", 3) not in by_step


@pytest.mark.parametrize("orders", [1, 5])
def test_orders_dashboard_page_runs_a_fixed_number_of_queries(
    client, orders_manager, make_order, orders, django_assert_num_queries
):
    for _ in range(orders):
        make_order(steps=[(ActionStatus.DONE, timezone.now())])
    client.force_login(orders_manager)
    client.get(reverse("reports:orders_dashboard"))
    cache.clear()
    # session, user, 2 permission reads, 5 aggregates, the queue choices, and
    # the user's groups (the header's navigation), the time logged per person (issue 13)
    with django_assert_num_queries(12):
        response = client.get(reverse("reports:orders_dashboard"))
    assert response.status_code == 200
    assert "Where the time goes" in response.content.decode()


def test_the_migration_fills_waiting_since_as_the_services_store_it(make_order):
    """Migration 0009's one UPDATE (a window over each order's steps) gives what the
    services store: the previous step's processing, the submission for the first."""
    import importlib

    from django.db import connection

    from orders.models import OrderAction

    fill = importlib.import_module("orders.migrations.0009_orderaction_waiting_since").FILL
    t0 = days_ago(20)
    day = dt.timedelta(days=1)
    make_order(
        submitted=t0,
        steps=[(ActionStatus.DONE, t0 + 3 * day), (ActionStatus.SKIPPED, t0 + 4 * day),
               (ActionStatus.DONE, t0 + 6 * day), (ActionStatus.PENDING, None)],
    )  # fmt: skip
    make_order(submitted=t0 + day, steps=[(ActionStatus.DONE, t0 + 2 * day)])
    expected = list(OrderAction.objects.order_by("pk").values_list("waiting_since", flat=True))
    before = selectors.orders_action_times()
    OrderAction.objects.update(waiting_since=None)
    with connection.cursor() as cursor:
        cursor.execute(fill)
    filled = list(OrderAction.objects.order_by("pk").values_list("waiting_since", flat=True))
    assert filled == expected
    assert filled == [t0, t0 + 3 * day, t0 + 4 * day, None, t0 + day]
    assert selectors.orders_action_times() == before
