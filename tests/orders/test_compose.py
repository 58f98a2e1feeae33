"""Replies and follow-ups with Ubersmith's fields (issue 12 #4): To (contacts and
subscribers, editable), CC, Subject "[Order 77812] …", canned responses with
placeholders, "assign order to" and "subscribe me"."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from notifications.models import OutboundEmail
from orders.models import CannedResponse, OrderAudit, OrderMessage, OrderSubscription

from .staff_helpers import submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit, new_full_name="Jamie Park")


@pytest.fixture
def watcher(make_user, order):
    user = make_user(Role.ORDERS_TECHNICIAN, email="watcher@it.example.edu")
    OrderSubscription.objects.create(order=order, user=user)
    return user


def _compose(page: str) -> str:
    return page[page.index('id="compose"') :].split("</section>")[0]


def test_the_reply_starts_addressed_to_the_contacts_and_subscribers(
    client, technician, order, coordinator, watcher
):
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    compose = _compose(page)
    assert f'value="{coordinator.email}, {watcher.email}"' in compose
    assert f'value="[Order {order.number}] Email only for Jamie Park"' in compose
    assert "Assign order to" in compose
    assert "Subscribe me" in compose


def test_a_canned_response_fills_subject_and_message_with_the_orders_values(
    client, technician, order
):
    response = CannedResponse.objects.create(
        name="Account ready",
        subject="Account for {customer_name} is ready",
        body="Hello {coordinator_name},\n\nThe account of {customer_name} (order "
        "{order_number}) is ready. {unknown} stays.\n\n{my_name}",
    )
    CannedResponse.objects.create(name="Old text", body="x", active=False)
    client.force_login(technician)
    url = reverse("orders:staff_detail", args=[order.number])
    page = client.get(url).content.decode()
    assert "Account ready</option>" in page
    assert "Old text" not in page
    compose = _compose(client.get(url, {"template": response.pk}).content.decode())
    assert f'value="[Order {order.number}] Account for Jamie Park is ready"' in compose
    assert f"The account of Jamie Park (order {order.number}) is ready." in compose
    assert "{unknown} stays." in compose
    assert f"Hello {order.submitted_by.display_name}," in compose
    assert technician.display_name in compose


def test_a_reply_goes_to_exactly_the_edited_to_and_cc_with_its_subject(
    client, technician, order, coordinator, watcher, commit, mailoutbox
):
    mailoutbox.clear()
    client.force_login(technician)
    with commit():
        response = client.post(
            reverse("orders:staff_message", args=[order.number]),
            {
                "kind": "reply",
                "to": f"{coordinator.email}, hr@client.example.edu",
                "cc": watcher.email,
                "subject": f"[Order {order.number}] Mailbox ready",
                "body": "The mailbox is ready.",
            },
        )
    assert response.status_code == 302
    message = OrderMessage.objects.get()
    assert message.to == [coordinator.email, "hr@client.example.edu"]
    assert message.cc == [watcher.email]
    client_mail = next(m for m in mailoutbox if coordinator.email in m.to)
    assert sorted(client_mail.to) == sorted([coordinator.email, "hr@client.example.edu"])
    assert client_mail.subject == f"[Order {order.number}] Mailbox ready"
    assert f"/orders/{order.number}/" in client_mail.body
    staff_mail = next(m for m in mailoutbox if watcher.email in m.to)
    assert "/orders/staff/" in staff_mail.body  # staff get the order manager's link
    assert len(mailoutbox) == 2
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert f"To {coordinator.email}, hr@client.example.edu · CC {watcher.email}" in page


def test_a_follow_up_addressed_to_the_client_is_refused(
    client, technician, manager, order, coordinator
):
    client.force_login(technician)
    response = client.post(
        reverse("orders:staff_message", args=[order.number]),
        {
            "kind": "follow_up",
            "assigned_to": manager.pk,
            "to": coordinator.email,
            "body": "Check the licence count.",
        },
    )
    assert response.status_code == 400
    assert "follow-ups and internal comments stay inside IT" in response.content.decode()
    assert "Check the licence count." in response.content.decode()  # nothing lost
    assert not OrderMessage.objects.exists()
    assert not OutboundEmail.objects.filter(key__startswith="order-msg-").exists()


def test_assign_order_to_and_subscribe_me_while_replying(client, make_user, manager, order, commit):
    technician = make_user(Role.ORDERS_TECHNICIAN, full_name="Dana Fox")
    client.force_login(manager)
    before = order.owner
    with commit():
        client.post(
            reverse("orders:staff_message", args=[order.number]),
            {
                "kind": "internal_comment",
                "body": "Taking this one over to you.",
                "assign_order_to": technician.pk,
                "subscribe": "on",
            },
        )
    order.refresh_from_db()
    assert order.owner == technician
    audit = OrderAudit.objects.get(order=order, transition="owner_changed")
    assert audit.actor == manager
    assert audit.changes == {"owner": [str(before) if before else "—", str(technician)]}
    told = OutboundEmail.objects.get(key__startswith=f"order-{order.pk}-owner-{technician.pk}")
    assert told.to == [technician.email]
    assert f"assigned order {order.number} to you" in told.body_text
    assert OrderSubscription.objects.filter(order=order, user=manager).exists()


def test_order_managers_manage_canned_responses_in_the_admin(client, manager, technician):
    client.force_login(manager)
    response = client.post(
        reverse("admin:orders_cannedresponse_add"),
        {
            "name": "Welcome",
            "order_type": "",
            "subject": "",
            "body": "Hi {customer_name}",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert CannedResponse.objects.get().body == "Hi {customer_name}"
    client.force_login(technician)
    assert client.get(reverse("admin:orders_cannedresponse_add")).status_code == 403


def test_switching_to_an_internal_comment_with_the_to_untouched_reaches_staff_only(
    client, technician, order, coordinator, watcher, commit, mailoutbox
):
    mailoutbox.clear()
    offered = f"{coordinator.email}, {watcher.email}"  # what the page offered for a reply
    client.force_login(technician)
    with commit():
        response = client.post(
            reverse("orders:staff_message", args=[order.number]),
            {"kind": "internal_comment", "to": offered, "to_initial": offered, "body": "Hmm."},
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[watcher.email]]


def test_the_page_remembers_the_to_it_offered(client, technician, order, coordinator):
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert f'type="hidden" name="to_initial" value="{coordinator.email}"' in page


def test_the_picker_follows_canned_responses_added_changed_and_removed(client, technician, order):
    """The offered responses come from the cache; every save or delete shows on the
    next view (``orders.selectors.canned_responses``)."""
    client.force_login(technician)
    url = reverse("orders:staff_detail", args=[order.number])

    def picker() -> str:
        compose = _compose(client.get(url).content.decode())
        if 'name="template"' not in compose:
            return ""
        return compose[compose.index('name="template"') : compose.index("</select>")]

    assert picker() == ""  # nothing to offer: no picker
    ready = CannedResponse.objects.create(name="Account ready", body="Ready.")
    other_type = CannedResponse.objects.create(
        name="Install booked", body="x", order_type="install_software"
    )
    assert f'<option value="{ready.pk}">Account ready</option>' in picker()
    assert "Install booked" not in picker()  # offered on installs only

    ready.name = "Mailbox ready"
    ready.save()
    assert f'<option value="{ready.pk}">Mailbox ready</option>' in picker()
    other_type.order_type = ""
    other_type.save()
    assert "Install booked" in picker()

    ready.active = False
    ready.save()
    assert "Mailbox ready" not in picker()
    other_type.delete()
    assert picker() == ""
