"""Order attachments over the API: the staff page's upload rules, the portal's visibility."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from orders.choices import ATTACHMENT_MAX_BYTES, MessageKind, OrderStatus
from orders.models import OrderAttachment, OrderMessage
from orders.services import order_message_post
from tests.accounts.factories import OrganizationFactory
from tests.api.conftest import key_client
from tests.orders.factories import OrderFactory

PDF = b"%PDF-1.4 the signed form"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def technician(make_user):
    return make_user(Role.ORDERS_TECHNICIAN, is_staff=True)


@pytest.fixture
def order(coordinator):
    return OrderFactory(organization=coordinator.organization, submitted_by=coordinator)


def upload(client, number, *files, kind="reply", body="The signed form."):
    return client.post(
        f"/api/v1/orders/{number}/attachments/",
        {"kind": kind, "body": body, "attachments": list(files)},
        format="multipart",
    )


def pdf(name="form.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_staff_upload_reaches_the_coordinator_byte_for_byte(technician, coordinator, order):
    response = upload(key_client(technician), order.number, pdf(), pdf("scan.png", b"png"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["body"]) == ("reply", "The signed form.")
    assert [(a["filename"], a["content_type"]) for a in body["attachments"]] == [
        ("form.pdf", "application/pdf"),
        ("scan.png", "image/png"),
    ]
    message = OrderMessage.objects.get(pk=body["id"])
    assert message.author == technician

    coordinator_api = key_client(coordinator)
    listed = coordinator_api.get(f"/api/v1/orders/{order.number}/attachments/").json()
    assert [a["filename"] for a in listed] == ["form.pdf", "scan.png"]
    download = coordinator_api.get(listed[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="form.pdf"' in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    # A client asking for the file's own type gets it too.
    asked = coordinator_api.get(listed[0]["url"], HTTP_ACCEPT="application/pdf")
    assert asked.status_code == 200


def test_upload_refused_with_the_staff_pages_messages(technician, order):
    api = key_client(technician)
    too_big = pdf("big.pdf", b"x" * (ATTACHMENT_MAX_BYTES + 1))
    response = upload(api, order.number, too_big, pdf("tool.exe", b"MZ"))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "attachments": [
            "big.pdf is too large: attachments may be at most 10 MB.",
            "tool.exe cannot be attached: use PDF, images (PNG, JPEG, GIF), "
            "text, CSV, Word or Excel files.",
        ]
    }
    six = [pdf(f"f{i}.pdf") for i in range(6)]
    assert upload(api, order.number, *six).json()["errors"] == {
        "attachments": ["Attach at most 5 files."]
    }
    assert upload(api, order.number, pdf(), kind="follow_up").json()["errors"] == {
        "assigned_to": ["Choose who must act on this follow-up."]
    }
    assert not OrderMessage.objects.exists()
    assert not OrderAttachment.objects.exists()


def test_cancelled_order_takes_internal_files_only(technician, coordinator):
    order = OrderFactory(
        organization=coordinator.organization,
        submitted_by=coordinator,
        status=OrderStatus.CANCELLED,
    )
    api = key_client(technician)
    refused = upload(api, order.number, pdf())
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        f"Order {order.number} is cancelled; only internal notes can be added now."
    )
    assert upload(api, order.number, pdf(), kind="internal_comment").status_code == 201


def test_coordinators_cannot_upload(coordinator, order):
    response = upload(key_client(coordinator), order.number, pdf())
    assert response.status_code == 403
    assert response.json()["detail"] == "Only orders staff may attach files to an order."
    assert not OrderAttachment.objects.exists()


def test_internal_files_and_other_organizations_stay_hidden(
    technician, coordinator, order, make_user
):
    shared, internal = (
        order_message_post(
            order=order, author=technician, kind=kind, body="x", files=[pdf(name)]
        ).attachments.get()
        for kind, name in (
            (MessageKind.CLIENT_COMMENT, "shared.pdf"),
            (MessageKind.INTERNAL_COMMENT, "internal.pdf"),
        )
    )
    base = f"/api/v1/orders/{order.number}/attachments/"
    staff_api, coordinator_api = key_client(technician), key_client(coordinator)
    assert [a["filename"] for a in staff_api.get(base).json()] == ["shared.pdf", "internal.pdf"]
    assert [a["filename"] for a in coordinator_api.get(base).json()] == ["shared.pdf"]
    assert coordinator_api.get(f"{base}{internal.pk}/").status_code == 404
    hidden = coordinator_api.get(f"{base}{internal.pk}/", HTTP_ACCEPT="application/pdf")
    assert (hidden.status_code, hidden["Content-Type"]) == (404, "application/problem+json")
    assert hidden.json()["detail"] == "No such attachment."
    assert staff_api.get(f"{base}{internal.pk}/").status_code == 200

    stranger = key_client(make_user(Role.COORDINATOR, organization=OrganizationFactory()))
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}{shared.pk}/").status_code == 404
    # An attachment is reached only under its own order's number.
    other = OrderFactory(organization=order.organization, submitted_by=coordinator)
    assert (
        staff_api.get(f"/api/v1/orders/{other.number}/attachments/{shared.pk}/").status_code == 404
    )
