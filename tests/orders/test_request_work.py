"""Request types (issue 13), the work on a request: assignment rules, time tracking,
planned actions, account teams, the demo data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.choices import OrderStatus, OrderType
from orders.models import AssignmentRule, Order, RequestType
from orders.request_choices import AssignmentRuleKind
from orders.services import (
    order_submit,
    request_save,
    time_entry_delete,
    time_entry_log,
    time_entry_update,
)
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_assignment_rules_fire_in_order_and_are_audited(
    coordinator, hardware, request_queue, make_user
):
    specialist = make_user(Role.ORDERS_TECHNICIAN, is_staff=True, full_name="Sam Specialist")
    lead = make_user(Role.ORDERS_TECHNICIAN, is_staff=True, full_name="Lee Lead")
    AssignmentRule.objects.create(
        request_type=hardware,
        position=1,
        kind=AssignmentRuleKind.FIELD_VALUE,
        field=hardware.fields.get(key="urgency"),
        field_value="High",
        assignee=specialist,
    )
    AssignmentRule.objects.create(
        queue=request_queue,
        position=1,
        kind=AssignmentRuleKind.ACCOUNT_TEAM,
    )
    coordinator.organization.account_team.add(lead)
    high = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"urgency": "High", "still_works": "yes"},
        submit=True,
    )
    low = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"urgency": "Low", "still_works": "yes"},
        submit=True,
    )
    assert high.owner == specialist
    assert low.owner == lead
    assert "request type rule “By a custom field’s value”" in high.audits.get(
        transition="submit"
    ).note.replace("'", "’")
    assert "account team" in low.audits.get(transition="submit").note


def test_organization_rule_matches_sub_organizations(coordinator, make_user, queues):
    parent = OrganizationFactory()
    coordinator.organization.parent = parent
    coordinator.organization.save()
    owner = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    AssignmentRule.objects.create(
        queue=queues[OrderType.EMAIL_ONLY],
        kind=AssignmentRuleKind.ORGANIZATION,
        organization=parent,
        assignee=owner,
    )
    from tests.orders.factories import OrderFactory

    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    assert order.owner == owner
    assert "By organization (or its parent)" in order.audits.get(transition="submit").note


def test_time_entries_total_per_person_and_audited(client, coordinator, hardware, make_user):
    a = make_user(Role.ORDERS_TECHNICIAN, is_staff=True, full_name="Ann")
    b = make_user(Role.ORDERS_TECHNICIAN, is_staff=True, full_name="Bo")
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"still_works": "yes"},
        submit=True,
    )
    e1 = time_entry_log(order=order, person=a, minutes=30, note="Diagnosis")
    time_entry_log(order=order, person=b, minutes=45, billable=False)
    time_entry_update(entry=e1, actor=a, data={"minutes": 60})
    with pytest.raises(ValidationError):
        time_entry_log(
            order=order, person=a, minutes=20, worked_on=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        time_entry_log(order=order, person=coordinator, minutes=20)
    client.force_login(a)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "1 h 45 min" in page
    assert "Ann: 1 h" in page
    assert "Bo: 45 min" in page
    time_entry_delete(entry=e1, actor=b)
    kinds = list(order.audits.values_list("transition", flat=True))
    assert kinds.count("time_logged") == 2
    assert "time_edited" in kinds
    assert "time_deleted" in kinds
    assert order.audits.get(transition="time_edited").changes == {"minutes": ["30", "60"]}


def test_time_log_view(client, coordinator, hardware, technician):
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"still_works": "yes"},
    )
    client.force_login(technician)
    page_url = reverse("orders:staff_detail", args=[order.number])
    before = client.get(page_url).content.decode()
    # No time logged: the page says so without reading entries (has_time_entries).
    assert "Total <strong>0 min</strong>" in before
    assert "time entry of" not in before
    response = client.post(
        reverse("orders:staff_time_log", args=[order.number]),
        {"time-minutes": "25", "time-worked_on": date.today().isoformat(), "time-billable": "on"},
    )
    assert response.status_code == 302
    assert order.time_entries.get().minutes == 25
    after = client.get(page_url).content.decode()
    assert "Total <strong>25 min</strong> (billable 25 min)" in after
    assert "time entry of" in after


def test_seed_demo_has_request_types_access_levels_an_account_team_and_time():
    import io

    from django.core.management import call_command

    from accounts.choices import PortalAccess, PortalVisibility
    from accounts.models import Organization, User
    from orders.models import TimeEntry

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    hardware = RequestType.objects.get(name="Hardware problem")
    assert [f.kind for f in hardware.fields.order_by("position")] == ["person", "choice", "file"]
    website = RequestType.objects.get(name="Website change")
    assert website.fields.get(key="page_title").show_when.key == "new_page"
    music = Organization.objects.get(name="School of Music")
    assert music.portal_visibility == PortalVisibility.ALL
    levels = set(User.objects.filter(organization=music).values_list("portal_access", flat=True))
    assert levels == set(PortalAccess.values)
    assert Organization.objects.get(name="School of Medicine").account_team.exists()
    assert TimeEntry.objects.filter(order__request_type=hardware).count() == 1
    assert Order.objects.filter(request_type=website, status=OrderStatus.DRAFT).count() == 1


def test_account_team_is_told_of_new_requests_of_its_organizations(
    coordinator, hardware, make_user, technician
):
    from notifications.models import OutboundEmail

    parent = OrganizationFactory()
    coordinator.organization.parent = parent
    coordinator.organization.save()
    watcher = make_user(Role.ORDERS_TECHNICIAN, is_staff=True, email="watch@example.edu")
    parent.account_team.add(watcher, technician)  # the parent's team looks after it too
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"still_works": "yes"},
        submit=True,
    )
    email = OutboundEmail.objects.get(template="orders_account_team_new_request")
    assert email.to == ["watch@example.edu"]  # the owner (technician) is not told twice
    assert f"New request {order.number}" in email.subject


def test_staff_split_a_request_into_planned_actions(client, coordinator, hardware, technician):
    from orders.services import order_action_plan

    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"still_works": "yes"},
        submit=True,
    )
    client.force_login(technician)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("orders:staff_action_plan", args=[order.number]),
        {"plan-name": "Order a new screen", "plan-owner": technician.pk, "plan-planned_date": day},
    )
    assert response.status_code == 302
    action = order.actions.get(position=2)
    assert (action.name, action.owner, action.planned_date, action.kind) == (
        "Order a new screen",
        technician,
        day,
        "manual",
    )
    assert order.audits.filter(transition="action_planned").exists()
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "Planned work" in page
    assert f"planned {day:%b} {day.day}, {day.year}" in page
    draft = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={},
    )
    with pytest.raises(ValidationError, match="Actions are planned on submitted requests"):
        order_action_plan(order=draft, actor=technician, name="Too early")
