"""Request types (issue 13): the chooser, custom fields on the server, staff edits,
removed fields, the answer filter, assignment rules, time tracking."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.choices import OrderStatus, OrderType
from orders.models import Order, RequestType
from orders.request_choices import FieldKind
from orders.selectors import request_types_for_portal, requests_for_staff
from orders.services import (
    custom_field_add,
    custom_field_remove,
    order_custom_values_update,
    request_save,
    request_type_save,
)
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


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


def test_staff_list_filters_by_a_yes_no_and_a_multiple_choice_answer(
    coordinator, hardware, technician
):
    """On PostgreSQL by JSON containment, on SQLite (``make run``) by the answer's key."""
    custom_field_add(
        request_type=hardware,
        data={"label": "Rooms", "kind": FieldKind.MULTIPLE_CHOICE, "choices": ["A1", "B2", "C3"]},
    )
    for works, rooms in (("yes", ["A1", "B2"]), ("no", ["B2"]), ("no", ["C3"])):
        request_save(
            request_type=hardware,
            organization=coordinator.organization,
            author=coordinator,
            values={"urgency": "Low", "still_works": works, "rooms": rooms},
        )

    def found(key: str, value: str) -> int:
        field = hardware.fields.get(key=key)
        return requests_for_staff(
            user=technician, request_type=hardware, field=field, value=value
        ).count()

    assert [found("still_works", v) for v in ("yes", "No")] == [1, 2]
    assert [found("rooms", v) for v in ("A1", "B2", "C3", "D4")] == [1, 2, 1, 0]


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
