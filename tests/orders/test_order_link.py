"""Send Order Link for any order a coordinator can see, with From, Subject, Message and
attachments; the link opens the order for its coordinator (issue 12 #5)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from orders.models import OrderAudit
from tests.accounts.factories import OrganizationFactory
from tests.orders.staff_helpers import draft_email_order, submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit)


def _link(body: str) -> str:
    url = next(u for u in re.findall(r"https?://\S+", body) if "/orders/finish/" in u)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_submitted_order_link_with_from_subject_message_and_attachment(
    client, technician, coordinator, order, commit, mailoutbox
):
    mailoutbox.clear()
    client.force_login(technician)
    form = client.get(reverse("orders:staff_send_link", args=[order.number])).content.decode()
    assert f"[Order {order.number}] Follow your order" in form  # prefilled subject
    with commit():
        response = client.post(
            reverse("orders:staff_send_link", args=[order.number]),
            {
                "email": "",
                "sender": "me",
                "subject": f"[Order {order.number}] Your new colleague's account",
                "message": "The account is on its way; the form is attached.",
                "attachments": [
                    SimpleUploadedFile(
                        "welcome.pdf", b"%PDF-1.4 binary \x00\xff", "application/pdf"
                    )
                ],
            },
        )
    assert response.status_code == 302
    [email] = mailoutbox
    assert email.to == [coordinator.email]
    assert email.reply_to == [technician.email]
    assert email.subject == f"[Order {order.number}] Your new colleague's account"
    assert "The account is on its way; the form is attached." in email.body
    assert f"Open order {order.number}: http" in email.body
    assert f"— {technician}" in email.body
    assert email.attachments == [("welcome.pdf", b"%PDF-1.4 binary \x00\xff", "application/pdf")]
    audit = OrderAudit.objects.get(order=order, transition="order_link_sent")
    assert audit.note == f"Order link sent to {coordinator.email} with welcome.pdf."

    # The link opens the order to follow (not the draft form) for its coordinator.
    client.logout()
    path = _link(email.body)
    assert client.get(path).url.startswith(reverse("login"))
    client.force_login(coordinator)
    assert client.get(path).url == reverse("orders:portal_detail", args=[order.number])


def test_a_draft_link_opens_the_draft_to_finish(
    client, technician, coordinator, commit, mailoutbox
):
    draft = draft_email_order(coordinator=coordinator)
    client.force_login(technician)
    with commit():
        client.post(
            reverse("orders:staff_send_link", args=[draft.number]),
            {"sender": "it", "subject": "Finish", "message": "Please finish it."},
        )
    [email] = mailoutbox
    assert email.reply_to == []
    assert f"Finish order {draft.number}" in email.body
    client.force_login(coordinator)
    assert client.get(_link(email.body)).url == reverse("orders:portal_edit", args=[draft.number])


def test_an_address_that_cannot_see_the_order_is_refused(
    client, technician, order, make_user, mailoutbox
):
    mailoutbox.clear()
    outsider = make_user(Role.COORDINATOR, organization=OrganizationFactory())
    client.force_login(technician)
    response = client.post(
        reverse("orders:staff_send_link", args=[order.number]),
        {"email": outsider.email, "sender": "it", "subject": "S", "message": "M"},
    )
    assert response.status_code == 400
    assert "is not a coordinator who can see order" in response.content.decode()
    assert not mailoutbox
    assert not OrderAudit.objects.filter(order=order, transition="order_link_sent").exists()


def test_attachments_too_large_together_are_refused(client, technician, order, mailoutbox):
    mailoutbox.clear()
    client.force_login(technician)
    big = b"x" * (6 * 1024 * 1024)
    response = client.post(
        reverse("orders:staff_send_link", args=[order.number]),
        {
            "sender": "it",
            "subject": "S",
            "message": "M",
            "attachments": [
                SimpleUploadedFile("a.txt", big, "text/plain"),
                SimpleUploadedFile("b.txt", big, "text/plain"),
            ],
        },
    )
    assert response.status_code == 400
    assert "at most 10 MB" in response.content.decode()
    assert not mailoutbox
