"""Staff messages: who gets which email (internal never reaches the client), quotes,
follow-ups, attachments (limits, private storage, permission-checked download), the
end user's password shown once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from notifications.models import OutboundEmail
from orders.choices import ATTACHMENT_MAX_BYTES, MessageKind, OrderType
from orders.crypto import secret_encrypt
from orders.models import (
    EndUserSecret,
    OrderAttachment,
    OrderAudit,
    OrderMessage,
    OrderSubscription,
)
from orders.services import order_client_reply
from orders.services.messages import order_message_notify, order_message_post
from tests.orders.factories import OrderFactory

from .staff_helpers import submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit)


@pytest.fixture
def watcher(make_user):
    """A staff subscriber."""
    return make_user(Role.ORDERS_TECHNICIAN, email="watcher@example.edu")


@pytest.fixture
def subscribed(order, watcher, coordinator):
    OrderSubscription.objects.create(order=order, user=watcher)
    # A coordinator subscribed by mistake must still never get internal messages.
    OrderSubscription.objects.create(order=order, user=coordinator)
    return order


def _post_as(client, user, order, commit, **data):
    client.force_login(user)
    with commit():
        return client.post(reverse("orders:staff_message", args=[order.number]), data)


def _emails_of(message):
    return {
        email.key.rsplit("-", 1)[-1]: sorted(email.to)
        for email in OutboundEmail.objects.filter(key__startswith=f"order-msg-{message.pk}-")
    }


def test_reply_reaches_the_coordinator_and_every_subscriber(
    client, technician, subscribed, coordinator, watcher, commit, mailoutbox
):
    mailoutbox.clear()
    response = _post_as(
        client, technician, subscribed, commit, kind="reply", body="Your mailbox is ready."
    )
    assert response.status_code == 302
    message = OrderMessage.objects.get(kind=MessageKind.REPLY)
    # The coordinator gets the message itself, not a second subscriber copy.
    assert _emails_of(message) == {"client": [coordinator.email], "subscribers": [watcher.email]}
    client_mail = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert "Your mailbox is ready." in client_mail.body
    assert f"/orders/{subscribed.number}/" in client_mail.body
    assert "/orders/staff/" not in client_mail.body


def test_internal_comment_never_reaches_the_client(
    client, technician, subscribed, coordinator, watcher, commit, mailoutbox
):
    mailoutbox.clear()
    _post_as(client, technician, subscribed, commit, kind="internal_comment", body="Secret plan.")
    message = OrderMessage.objects.get()
    assert _emails_of(message) == {"subscribers": [watcher.email]}
    assert all(coordinator.email not in m.to for m in mailoutbox)
    # Nor does it show in the portal.
    client.force_login(coordinator)
    portal = client.get(reverse("orders:portal_detail", args=[subscribed.number]))
    assert "Secret plan." not in portal.content.decode()


def test_client_viewable_comment_goes_to_the_coordinator(
    client, technician, subscribed, coordinator, watcher, commit
):
    _post_as(client, technician, subscribed, commit, kind="client_comment", body="FYI.")
    message = OrderMessage.objects.get()
    assert _emails_of(message) == {"client": [coordinator.email], "subscribers": [watcher.email]}


def test_follow_up_is_assigned_and_stays_with_staff(
    client, technician, manager, subscribed, coordinator, watcher, commit
):
    missing = _post_as(client, technician, subscribed, commit, kind="follow_up", body="Call HR.")
    assert missing.status_code == 400
    assert "Choose who must act on this follow-up." in missing.content.decode()
    _post_as(
        client,
        technician,
        subscribed,
        commit,
        kind="follow_up",
        body="Call HR.",
        assigned_to=manager.pk,
    )
    message = OrderMessage.objects.get()
    assert message.assigned_to == manager
    assert _emails_of(message) == {"assignee": [manager.email], "subscribers": [watcher.email]}
    assigned = OutboundEmail.objects.get(key=f"order-msg-{message.pk}-assignee")
    assert "follow-up for you" in assigned.subject


def test_follow_up_cannot_be_assigned_to_a_coordinator(technician, order, coordinator):
    with pytest.raises(ValidationError, match="does not work on orders"):
        order_message_post(
            order=order, author=technician, kind="follow_up", body="x", assigned_to=coordinator
        )


def test_reply_and_quote(client, technician, order, coordinator, commit, mailoutbox):
    question = order_client_reply(order=order, author=coordinator, body="Is it done yet?")
    client.force_login(technician)
    page = client.get(
        reverse("orders:staff_detail", args=[order.number]), {"quote": question.pk}
    ).content.decode()
    assert "Quoting" in page
    assert f'name="quoted" value="{question.pk}"' in page
    mailoutbox.clear()
    _post_as(client, technician, order, commit, kind="reply", body="Tomorrow.", quoted=question.pk)
    reply = OrderMessage.objects.get(kind=MessageKind.REPLY, from_client=False)
    assert reply.quoted == question
    mail = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert "Is it done yet?" in mail.body


def test_an_internal_message_cannot_be_quoted_to_the_client(technician, order):
    internal = order_message_post(
        order=order, author=technician, kind="internal_comment", body="Do not share."
    )
    with pytest.raises(ValidationError, match="cannot be quoted to the client"):
        order_message_post(order=order, author=technician, kind="reply", body="Hi", quoted=internal)
    # Quoting it internally is fine.
    order_message_post(
        order=order, author=technician, kind="internal_comment", body="+1", quoted=internal
    )


def test_emails_have_unique_keys_and_go_once(technician, subscribed, commit):
    with commit():
        message = order_message_post(
            order=subscribed, author=technician, kind="reply", body="Once."
        )
    count = OutboundEmail.objects.count()
    with commit():
        order_message_notify(message=message)
    assert OutboundEmail.objects.count() == count


def test_client_reply_in_the_portal_reaches_staff_subscribers(
    coordinator, subscribed, watcher, commit
):
    with commit():
        message = order_client_reply(order=subscribed, author=coordinator, body="Thanks!")
    copy = OutboundEmail.objects.get(key=f"order-msg-{message.pk}-subscribers")
    assert watcher.email in copy.to


def test_htmx_post_returns_the_thread_only(client, technician, order, commit):
    client.force_login(technician)
    with commit():
        response = client.post(
            reverse("orders:staff_message", args=[order.number]),
            {"kind": "internal_comment", "body": "Via htmx."},
            HTTP_HX_REQUEST="true",
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Via htmx." in body
    assert "Your message is posted." in body


# --- attachments --------------------------------------------------------------------


def _upload(name, content=b"hello", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type)


def test_attachment_is_stored_privately_and_downloaded_by_staff_only(
    client, technician, order, coordinator, commit
):
    client.force_login(technician)
    with commit():
        client.post(
            reverse("orders:staff_message", args=[order.number]),
            {
                "kind": "reply",
                "body": "Here is the form.",
                "attachments": [_upload("Access form.pdf", b"%PDF-1.4 form", "application/pdf")],
            },
        )
    attachment = OrderAttachment.objects.get()
    assert attachment.filename == "Access form.pdf"
    assert attachment.content_type == "application/pdf"
    assert "Access form" not in attachment.file.name  # stored under a random name
    url = reverse("orders:staff_attachment", args=[attachment.pk])
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 form"
    assert 'attachment; filename="Access form.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(coordinator)
    assert client.get(url).status_code == 403


def test_attachment_too_large_is_refused(client, technician, order):
    client.force_login(technician)
    big = _upload("big.txt", b"x" * (ATTACHMENT_MAX_BYTES + 1))
    response = client.post(
        reverse("orders:staff_message", args=[order.number]),
        {"kind": "reply", "body": "Big", "attachments": [big]},
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not OrderMessage.objects.exists()


def test_attachment_of_a_forbidden_type_is_refused(client, technician, order):
    client.force_login(technician)
    # The browser's word (application/pdf) does not count: the name says .exe.
    exe = _upload("invoice.pdf.exe", b"MZ...", "application/pdf")
    response = client.post(
        reverse("orders:staff_message", args=[order.number]),
        {"kind": "reply", "body": "Exe", "attachments": [exe]},
    )
    assert response.status_code == 400
    assert "cannot be attached" in response.content.decode()
    assert not OrderAttachment.objects.exists()


def test_at_most_five_attachments(client, technician, order):
    client.force_login(technician)
    response = client.post(
        reverse("orders:staff_message", args=[order.number]),
        {
            "kind": "reply",
            "body": "Many",
            "attachments": [_upload(f"f{i}.txt") for i in range(6)],
        },
    )
    assert response.status_code == 400
    assert "at most 5 files" in response.content.decode()


def test_service_refuses_attachments_too(technician, order):
    with pytest.raises(ValidationError, match="too large"):
        order_message_post(
            order=order,
            author=technician,
            kind="reply",
            body="x",
            files=[_upload("a.txt", b"x" * (ATTACHMENT_MAX_BYTES + 1))],
        )


# --- the end user's password ----------------------------------------------------------


@pytest.fixture
def install_order(coordinator, technician, end_user):
    order = OrderFactory(
        order_type=OrderType.INSTALL_SOFTWARE,
        organization=coordinator.organization,
        submitted_by=coordinator,
        new_full_name="",
        new_username="",
        new_email="",
        existing_user=end_user,
        workstation="WX14",
        owner=technician,
    )
    from orders.models import Order

    Order.objects.filter(pk=order.pk).update(status="in_progress")
    EndUserSecret.objects.create(
        order=order,
        ciphertext=secret_encrypt("pa55-word!"),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return order


def test_password_is_shown_once_to_the_assigned_technician(
    client, technician, make_user, install_order
):
    other = make_user(Role.ORDERS_TECHNICIAN)
    url = reverse("orders:staff_secret", args=[install_order.number])
    client.force_login(other)
    detail = client.get(reverse("orders:staff_detail", args=[install_order.number]))
    assert "Only the order's owner can reveal it." in detail.content.decode()
    assert client.post(url).status_code == 403

    client.force_login(technician)
    response = client.post(url)
    assert response.status_code == 200
    assert 'value="pa55-word!"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert OrderAudit.objects.filter(order=install_order, transition="secret_revealed").exists()

    again = client.post(url, follow=True).content.decode()
    assert "pa55-word!" not in again
    assert "already shown" in again
