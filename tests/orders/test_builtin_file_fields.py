"""File custom fields on the built-in types' portal forms (issue 13 item 1/2): the
staff-defined types' attachment rules, messages and storage."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders.choices import OrderStatus, OrderType
from orders.models import Order, RequestType
from orders.request_choices import FieldKind
from orders.services import custom_field_add
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG...."
BASE = {
    "new_full_name": "Nia New",
    "new_username": "nnew",
    "new_email": "nnew@example.edu",
    "intent": "submit",
}


@pytest.fixture
def photo_field(queues, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    email_only = RequestType.objects.get(builtin_type=OrderType.EMAIL_ONLY)
    return custom_field_add(
        request_type=email_only, data={"label": "Photo", "kind": FieldKind.FILE, "required": True}
    )


def _url():
    return reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])


def test_the_form_takes_the_file_field(coordinator_client, photo_field):
    page = coordinator_client.get(_url()).content.decode()
    assert 'type="file" name="photo"' in page
    assert 'enctype="multipart/form-data"' in page


def test_submit_without_the_required_file_is_refused(coordinator_client, photo_field):
    response = coordinator_client.post(_url(), BASE, follow=True)
    assert "Photo: this is required." in response.content.decode()
    assert Order.objects.get(new_username="nnew").status == OrderStatus.DRAFT


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ"), "Photo: run.exe cannot be attached"),
        (
            SimpleUploadedFile("big.png", b"x" * (10 * 1024 * 1024 + 1)),
            "Photo: big.png is too large: attachments may be at most 10 MB.",
        ),
    ],
)
def test_a_file_the_attachment_rules_refuse_is_refused(
    coordinator_client, photo_field, upload, message
):
    response = coordinator_client.post(_url(), {**BASE, "photo": upload})
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_a_valid_file_is_stored_and_downloadable_by_who_sees_the_order(
    client, coordinator, technician, make_user, photo_field
):
    client.force_login(coordinator)
    client.post(_url(), {**BASE, "photo": SimpleUploadedFile("screen.png", PNG)})
    order = Order.objects.get(new_username="nnew")
    assert order.status == OrderStatus.SUBMITTED
    answer = order.custom_values["photo"]
    assert answer["filename"] == "screen.png"
    attachment = order.messages.get().attachments.get()
    assert attachment.pk == answer["attachment_id"]
    assert attachment.content_type == "image/png"
    portal_url = reverse("orders:portal_attachment", args=[order.number, attachment.pk])
    assert (
        portal_url
        in client.get(reverse("orders:portal_detail", args=[order.number])).content.decode()
    )
    download = client.get(portal_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    client.force_login(technician)
    staff_url = reverse("orders:staff_attachment", args=[attachment.pk])
    assert (
        staff_url
        in client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    )
    assert client.get(staff_url).status_code == 200
    client.force_login(make_user(organization=OrganizationFactory()))
    assert client.get(portal_url).status_code in (403, 404)


def test_a_stored_file_stays_when_the_draft_is_saved_again(coordinator_client, photo_field):
    draft = {k: v for k, v in BASE.items() if k != "intent"}
    coordinator_client.post(_url(), {**draft, "photo": SimpleUploadedFile("screen.png", PNG)})
    order = Order.objects.get(new_username="nnew")
    assert order.status == OrderStatus.DRAFT
    coordinator_client.post(reverse("orders:portal_edit", args=[order.number]), BASE)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.custom_values["photo"]["filename"] == "screen.png"
