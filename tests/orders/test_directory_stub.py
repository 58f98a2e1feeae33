"""Orders against the integrations app's directory stub (the default client)."""

import pytest
from django.urls import reverse

from integrations.models import StubDirectoryAccount, StubDirectoryComputer
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.models import Order
from orders.services import order_create_draft, order_submit

pytestmark = pytest.mark.django_db


def test_email_only_and_first_password_through_the_stub(
    coordinator_client, coordinator, queues, commit
):
    url = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    with commit():
        coordinator_client.post(
            url,
            {
                "new_full_name": "Stu Stub",
                "new_username": "sstub",
                "new_email": "sstub@example.edu",
                "intent": "submit",
            },
        )
    order = Order.objects.get()
    account = StubDirectoryAccount.objects.get(username="sstub")
    assert order.actions.get(position=1).status == ActionStatus.DONE

    from notifications.models import OutboundEmail
    from notifications.rendering import links_rendered

    # The link as the sender renders it (the stored email holds it sealed).
    body = links_rendered(OutboundEmail.objects.get(template="orders_confirmation").body_text)
    path = body[body.index("/orders/account/") :].split()[0]
    client = coordinator_client.__class__()
    client.post(path, {"password1": "stub-password-12", "password2": "stub-password-12"})
    account.refresh_from_db()
    assert account.password_hash
    assert "stub-password-12" not in account.password_hash

    # The same username again: the form says it is in use.
    response = coordinator_client.post(
        url, {"new_full_name": "X", "new_username": "sstub", "intent": "save"}
    )
    assert "already" in response.content.decode()


def test_placeholder_goes_round_trip_in_the_stub(
    coordinator, queues, make_user, commit, technician
):
    from orders.services import order_action_process

    leaver = make_user(organization=coordinator.organization, email="leaves@example.edu")
    first = order_create_draft(
        order_type=OrderType.DEACTIVATE_FUTURE_REPLACEMENT,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"existing_user": leaver, "workstation": "WX14"},
    )
    with commit():
        order_submit(order=first, actor=coordinator)
    first.refresh_from_db()
    assert first.status == OrderStatus.COMPLETED
    parked = StubDirectoryComputer.objects.get(name=f"tmp-WX14 {first.number}")
    assert parked.state == "parked"
    assert not StubDirectoryAccount.objects.get(username="leaves").active

    second = order_create_draft(
        order_type=OrderType.DEACTIVATE_REPLACEMENT_NOW,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "existing_placeholder": first.placeholders.get(),
            "new_full_name": "Nora Next",
            "new_username": "nnext",
            "new_email": "nnext@example.edu",
        },
    )
    with commit():
        order_submit(order=second, actor=coordinator)
    with commit():
        order_action_process(
            action=second.actions.get(kind="manual"), actor=technician, note="Set up."
        )
    second.refresh_from_db()
    assert second.status == OrderStatus.COMPLETED
    computer = StubDirectoryComputer.objects.get(pk=parked.pk)
    assert computer.name == "WX14"
    assert computer.assigned_username == "nnext"
    assert computer.state == "in_use"
