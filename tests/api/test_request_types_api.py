"""Staff-defined request types over the API (issue 15 item 3): the same selectors,
service and messages as the portal form."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from orders.choices import OrderStatus
from orders.models import Order, OrderAudit
from orders.request_choices import FieldKind
from orders.services import custom_field_add, request_type_save
from tests.accounts.factories import OrganizationFactory
from tests.api.conftest import key_client

pytestmark = pytest.mark.django_db


def _post(client, slug, **body):
    return client.post(f"/api/v1/request-types/{slug}/requests/", body, format="json")


def test_listing_is_scoped_to_the_organization(coordinator, hardware):
    request_type_save(
        data={"name": "Lab access", "all_organizations": False},
        organizations=[OrganizationFactory()],
    )
    body = key_client(coordinator).get("/api/v1/request-types/").json()
    assert [t["slug"] for t in body] == [hardware.slug]
    fields = {f["key"]: f for f in body[0]["fields"]}
    assert fields["urgency"]["choices"] == ["Low", "High"]
    assert fields["copies"]["min_number"] == "1.00"
    assert fields["still_works"]["required"] is True
    assert fields["what_is_broken"]["show_when"] == {"key": "still_works", "value": "no"}


def test_staff_see_every_staff_defined_type(make_user, hardware):
    lab = request_type_save(
        data={"name": "Lab access", "all_organizations": False},
        organizations=[OrganizationFactory()],
    )
    staff = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    body = key_client(staff).get("/api/v1/request-types/").json()
    assert {t["slug"] for t in body} == {hardware.slug, lab.slug}
    assert key_client(staff).get(f"/api/v1/request-types/{lab.slug}/").status_code == 200


def test_valid_submit_creates_the_order_with_its_answers_and_an_audit_row(coordinator, hardware):
    response = _post(
        key_client(coordinator),
        hardware.slug,
        values={"urgency": "High", "still_works": "no", "what_is_broken": "Screen", "copies": 2},
        submit=True,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert body["status"] == order.status == OrderStatus.SUBMITTED
    assert body["request_type"] == hardware.slug
    assert order.custom_values == {
        "urgency": "High",
        "still_works": "no",
        "what_is_broken": "Screen",
        "copies": "2",  # stored as the portal form stores it
    }
    assert body["custom_values"] == order.custom_values
    assert OrderAudit.objects.filter(order=order, transition="create").exists()


def test_draft_keeps_missing_answers(coordinator, hardware):
    response = _post(key_client(coordinator), hardware.slug, values={"urgency": "Low"})
    assert response.status_code == 201
    assert response.json()["status"] == OrderStatus.DRAFT


def test_missing_required_answer_has_the_portal_forms_message(client, coordinator, hardware):
    response = _post(key_client(coordinator), hardware.slug, values={}, submit=True)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    message = response.json()["errors"]["still_works"][0]
    assert message == "Still works: this is required."
    assert not Order.objects.exists()  # a failed submission saves nothing over the API
    client.force_login(coordinator)
    page = client.post(
        reverse("orders:portal_request_create", args=[hardware.slug]), {"intent": "submit"}
    )
    assert message in page.content.decode()


def test_hidden_conditional_field_cannot_skip_a_visible_required_one(coordinator, hardware):
    # "What is broken" shows (and is required) when "Still works" is "no".
    response = _post(
        key_client(coordinator), hardware.slug, values={"still_works": "no"}, submit=True
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["what_is_broken"]
    # When it does not show, its answer is dropped, not stored.
    response = _post(
        key_client(coordinator),
        hardware.slug,
        values={"still_works": "yes", "what_is_broken": "ignored"},
        submit=True,
    )
    assert response.status_code == 201
    assert response.json()["custom_values"] == {"still_works": "yes"}


def test_invalid_answer_has_the_portal_forms_message(client, coordinator, hardware):
    response = _post(key_client(coordinator), hardware.slug, values={"copies": 9})
    assert response.status_code == 400
    [message] = response.json()["errors"]["copies"]
    client.force_login(coordinator)
    page = client.post(
        reverse("orders:portal_request_create", args=[hardware.slug]), {"copies": "9"}
    )
    assert message in page.content.decode()


def test_person_answer_must_be_of_the_organization(make_user, coordinator, hardware):
    custom_field_add(request_type=hardware, data={"label": "Who", "kind": FieldKind.PERSON})
    outsider = make_user(organization=OrganizationFactory())
    client = key_client(coordinator)
    refused = _post(client, hardware.slug, values={"who": outsider.pk})
    assert list(refused.json()["errors"]) == ["who"]
    body = _post(client, hardware.slug, values={"who": {"id": coordinator.pk}}).json()
    assert body["custom_values"]["who"] == {"id": coordinator.pk, "name": coordinator.display_name}


def test_file_fields_are_refused_over_json(coordinator, hardware):
    custom_field_add(request_type=hardware, data={"label": "Photo", "kind": FieldKind.FILE})
    response = _post(key_client(coordinator), hardware.slug, values={"photo": "a.png"})
    assert response.status_code == 400
    assert "send multipart/form-data" in response.json()["errors"]["photo"][0]


def _multipart(client, slug, values, **parts):
    body = {"values": json.dumps(values), **parts}
    return client.post(f"/api/v1/request-types/{slug}/requests/", body, format="multipart")


@pytest.fixture
def with_photo(hardware, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    custom_field_add(
        request_type=hardware, data={"label": "Photo", "kind": FieldKind.FILE, "required": True}
    )
    return hardware


def test_file_field_is_given_with_multipart_and_downloadable(coordinator, with_photo):
    client = key_client(coordinator)
    response = _multipart(
        client,
        with_photo.slug,
        {"still_works": "yes"},
        submit="true",
        photo=SimpleUploadedFile("screen.png", b"\x89PNG....", content_type="image/png"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] != OrderStatus.DRAFT
    assert body["custom_values"]["photo"]["filename"] == "screen.png"
    order = Order.objects.get(number=body["number"])
    listed = client.get(f"/api/v1/orders/{order.number}/attachments/").json()
    assert [a["filename"] for a in listed] == ["screen.png"]
    download = client.get(listed[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\x89PNG...."


def test_missing_file_has_the_portal_forms_message(client, coordinator, with_photo):
    response = _multipart(
        key_client(coordinator), with_photo.slug, {"still_works": "yes"}, submit="true"
    )
    assert response.status_code == 400
    message = response.json()["errors"]["photo"][0]
    assert message == "Photo: this is required."
    assert not Order.objects.exists()
    client.force_login(coordinator)
    page = client.post(
        reverse("orders:portal_request_create", args=[with_photo.slug]),
        {"intent": "submit", "still_works": "yes"},
    )
    assert message in page.content.decode()


def test_wrong_file_type_has_the_attachment_rules_message(coordinator, with_photo):
    response = _multipart(
        key_client(coordinator),
        with_photo.slug,
        {"still_works": "yes"},
        photo=SimpleUploadedFile("run.exe", b"MZ"),
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["photo"]
    assert message.startswith("Photo: ")
    assert "cannot be attached" in message
    assert not Order.objects.exists()


def test_another_organizations_type_is_not_found(coordinator):
    lab = request_type_save(
        data={"name": "Lab access", "all_organizations": False},
        organizations=[OrganizationFactory()],
    )
    client = key_client(coordinator)
    assert client.get(f"/api/v1/request-types/{lab.slug}/").status_code == 404
    assert _post(client, lab.slug, values={}).status_code == 404
    assert not Order.objects.exists()


def test_staff_cannot_create_requests(make_user, hardware):
    staff = make_user(Role.ORDERS_TECHNICIAN, is_staff=True)
    assert _post(key_client(staff), hardware.slug, values={}).status_code == 403
