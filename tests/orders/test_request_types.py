"""Request types (issue 13): the chooser, custom fields on the server, staff edits,
removed fields, the answer filter, assignment rules, time tracking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.choices import OrderStatus, OrderType
from orders.models import AssignmentRule, Order, OrderQueue, RequestType
from orders.request_choices import AssignmentRuleKind, FieldKind
from orders.selectors import request_types_for_portal, requests_for_staff
from orders.services import (
    custom_field_add,
    custom_field_remove,
    order_custom_values_update,
    order_submit,
    request_save,
    request_type_save,
    time_entry_delete,
    time_entry_log,
    time_entry_update,
)
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_queue(technician):
    queue = OrderQueue.objects.create(name="Hardware desk", order_type=OrderType.REQUEST)
    queue.team.add(technician)
    return queue


@pytest.fixture
def hardware(request_queue):
    rt = request_type_save(
        data={"name": "Hardware problem", "description": "Broken device", "queue": request_queue}
    )
    custom_field_add(
        request_type=rt,
        data={"label": "Urgency", "kind": FieldKind.CHOICE, "choices": ["Low", "High"]},
    )
    broken = custom_field_add(
        request_type=rt,
        data={"label": "Still works", "kind": FieldKind.YES_NO, "required": True},
    )
    custom_field_add(
        request_type=rt,
        data={
            "label": "What is broken",
            "kind": FieldKind.LONG_TEXT,
            "required": True,
            "show_when": broken,
            "show_when_value": "no",
        },
    )
    custom_field_add(
        request_type=rt,
        data={"label": "Copies", "kind": FieldKind.NUMBER, "min_number": 1, "max_number": 5},
    )
    return rt


def test_chooser_lists_builtin_types_and_the_types_offered_to_the_organization(
    coordinator, hardware
):
    elsewhere = OrganizationFactory()
    request_type_save(
        data={"name": "Lab access", "all_organizations": False}, organizations=[elsewhere]
    )
    parent_only = request_type_save(
        data={"name": "Parent thing", "all_organizations": False},
        organizations=[OrganizationFactory()],
    )
    coordinator.organization.parent = parent_only.organizations.get()
    coordinator.organization.save()
    names = [e.name for e in request_types_for_portal(user=coordinator)]
    assert "Hardware problem" in names
    assert "Parent thing" in names  # offered to the organization above
    assert "Lab access" not in names
    assert "Email only" in names
    assert "Install software" in names


def test_builtin_type_hidden_by_staff_leaves_the_chooser(coordinator_client):
    RequestType.objects.filter(builtin_type=OrderType.EMAIL_ONLY).update(portal_visibility="staff")
    page = coordinator_client.get(reverse("orders:portal_new")).content.decode()
    assert "Start: Install software" in page
    assert "Start: Email only" not in page


def test_coordinator_submits_a_request_and_sees_the_answers(
    coordinator_client, coordinator, hardware, technician
):
    url = reverse("orders:portal_request_create", args=[hardware.slug])
    page = coordinator_client.get(url).content.decode()
    assert "Urgency" in page
    assert "Only when “Still works” is “no”" in page
    response = coordinator_client.post(
        url,
        {"urgency": "High", "still_works": "no", "what_is_broken": "Screen", "intent": "submit"},
    )
    order = Order.objects.get(request_type=hardware)
    assert response.status_code == 302
    assert order.status == OrderStatus.SUBMITTED
    assert order.custom_values == {
        "urgency": "High",
        "still_works": "no",
        "what_is_broken": "Screen",
    }
    assert order.queue.name == "Hardware desk"
    # A queue without steps still leaves the request for staff to handle.
    assert [a.name for a in order.actions.all()] == ["Handle the request"]
    assert order.owner == technician
    detail = coordinator_client.get(reverse("orders:portal_detail", args=[order.number]))
    assert "Your answers" in detail.content.decode()
    assert "Screen" in detail.content.decode()


def test_required_field_shown_by_a_condition_cannot_be_skipped(coordinator, hardware):
    with pytest.raises(ValidationError) as exc:
        request_save(
            request_type=hardware,
            organization=coordinator.organization,
            author=coordinator,
            values={"still_works": "no"},
            submit=True,
        )
    assert "What is broken: this is required." in str(exc.value)
    # A value posted for a hidden field is dropped, never stored.
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"still_works": "yes", "what_is_broken": "sneaky"},
    )
    assert "what_is_broken" not in order.custom_values


def test_missing_required_answer_refuses_submit_with_a_message(coordinator_client, hardware):
    url = reverse("orders:portal_request_create", args=[hardware.slug])
    response = coordinator_client.post(url, {"urgency": "High", "intent": "submit"})
    assert response.status_code == 200
    assert "Still works: this is required." in response.content.decode()
    order = Order.objects.get(request_type=hardware)
    assert order.status == OrderStatus.DRAFT  # the draft is kept, nothing lost
    assert reverse("orders:portal_request_edit", args=[order.number]) in response.content.decode()


def test_number_range_is_checked_on_the_server(coordinator, hardware):
    with pytest.raises(ValidationError) as exc:
        request_save(
            request_type=hardware,
            organization=coordinator.organization,
            author=coordinator,
            values={"copies": "9"},
        )
    assert "Copies: Enter 5 or less." in str(exc.value)


def test_file_field_follows_the_attachment_rules(coordinator, hardware, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    custom_field_add(request_type=hardware, data={"label": "Photo", "kind": FieldKind.FILE})
    with pytest.raises(ValidationError) as exc:
        request_save(
            request_type=hardware,
            organization=coordinator.organization,
            author=coordinator,
            values={"urgency": "Low"},
            files={"photo": SimpleUploadedFile("run.exe", b"MZ")},
        )
    assert "cannot be attached" in str(exc.value)
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"urgency": "Low"},
        files={"photo": SimpleUploadedFile("screen.png", b"\x89PNG....")},
    )
    assert order.custom_values["photo"]["filename"] == "screen.png"
    assert order.messages.get().attachments.get().content_type == "image/png"


def test_staff_edit_of_answers_is_audited(coordinator, hardware, technician):
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"urgency": "Low", "still_works": "yes"},
        submit=True,
    )
    changes = order_custom_values_update(order=order, actor=technician, values={"urgency": "High"})
    assert changes == {"Urgency": ["Low", "High"]}
    audit = order.audits.get(transition="custom_values_edited")
    assert audit.actor == technician
    assert audit.changes == {"Urgency": ["Low", "High"]}


def test_removed_field_keeps_its_answers_on_the_staff_page(
    client, coordinator, hardware, technician
):
    order = request_save(
        request_type=hardware,
        organization=coordinator.organization,
        author=coordinator,
        values={"urgency": "High", "still_works": "yes"},
        submit=True,
    )
    custom_field_remove(field=hardware.fields.get(key="urgency"))
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "Urgency" in page
    assert "(removed field)" in page
    assert "High" in page
    form = client.get(reverse("orders:portal_request_create", args=[hardware.slug]))
    assert form.status_code == 403  # staff do not use the portal form
    order.refresh_from_db()
    assert order.custom_values["urgency"] == "High"


def test_staff_list_filters_by_a_custom_answer(client, coordinator, hardware, technician):
    for urgency in ("Low", "High", "High"):
        request_save(
            request_type=hardware,
            organization=coordinator.organization,
            author=coordinator,
            values={"urgency": urgency, "still_works": "yes"},
        )
    field = hardware.fields.get(key="urgency")
    assert (
        requests_for_staff(
            user=technician, request_type=hardware, field=field, value="High"
        ).count()
        == 2
    )
    client.force_login(technician)
    page = client.get(
        reverse("orders:staff_requests"),
        {"type": hardware.pk, "field": "urgency", "value": "Low"},
    )
    assert page.status_code == 200
    assert page.content.decode().count("badge") >= 1
    assert len(page.context["orders"]) == 1


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
    response = client.post(
        reverse("orders:staff_time_log", args=[order.number]),
        {"time-minutes": "25", "time-worked_on": date.today().isoformat(), "time-billable": "on"},
    )
    assert response.status_code == 302
    assert order.time_entries.get().minutes == 25


def test_manager_creates_a_type_and_adds_fields(client, manager, technician, request_queue):
    client.force_login(manager)
    response = client.post(
        reverse("orders:staff_request_type_create"),
        {
            "name": "Website change",
            "description": "Change a page",
            "icon": "web",
            "colour": "green",
            "queue": request_queue.pk,
            "all_organizations": "on",
            "portal_visibility": "portal",
            "position": "5",
            "active": "on",
        },
    )
    rt = RequestType.objects.get(name="Website change")
    assert response.status_code == 302
    response = client.post(
        reverse("orders:staff_custom_field_add", args=[rt.pk]),
        {"field-label": "Page address", "field-kind": "url", "field-required": "on"},
    )
    assert response.status_code == 302
    assert rt.fields.get().key == "page_address"
    bad = client.post(
        reverse("orders:staff_custom_field_add", args=[rt.pk]),
        {"field-label": "Size", "field-kind": "choice"},
    )
    assert bad.status_code == 400
    assert "Give at least one option." in bad.content.decode()
    client.force_login(technician)
    assert client.get(reverse("orders:staff_request_type", args=[rt.pk])).status_code == 403
    assert client.get(reverse("orders:staff_request_types")).status_code == 200


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


def test_builtin_type_keeps_its_form_and_adds_the_custom_fields(coordinator_client, queues):
    email_only = RequestType.objects.get(builtin_type=OrderType.EMAIL_ONLY)
    custom_field_add(
        request_type=email_only,
        data={
            "label": "Cost centre",
            "kind": FieldKind.NUMBER,
            "required": True,
            "max_number": 9999,
        },
    )
    url = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    page = coordinator_client.get(url).content.decode()
    assert "User&#x27;s name" in page or "User's name" in page
    assert "Cost centre" in page
    base = {
        "new_full_name": "Nia New",
        "new_username": "nnew",
        "new_email": "nnew@example.edu",
        "intent": "submit",
    }
    response = coordinator_client.post(url, {**base, "cost_centre": "99999"})
    assert "Ensure this value is less than or equal to 9999" in response.content.decode()
    response = coordinator_client.post(url, base, follow=True)
    assert "Cost centre: this is required." in response.content.decode()
    order = Order.objects.get(new_username="nnew")
    assert order.status == OrderStatus.DRAFT
    response = coordinator_client.post(
        reverse("orders:portal_edit", args=[order.number]), {**base, "cost_centre": "4410"}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.custom_values == {"cost_centre": "4410"}
    assert order.request_type == email_only
