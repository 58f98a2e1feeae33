"""Each order type end to end through the portal with the test client."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SupportTeam
from accounts.roles import Role
from notifications.models import OutboundEmail
from notifications.rendering import links_rendered
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.models import EndUserSecret, Order, OrderAudit, WorkstationPlaceholder
from orders.services import enduser_secret_reveal, order_action_process
from orders.tasks import enduser_secrets_purge_task
from tests.orders.factories import InstallableSoftwareFactory

pytestmark = pytest.mark.django_db


def _post(client, url, data, commit):
    with commit():
        return client.post(url, data)


def _links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_email_only_end_to_end(
    coordinator_client, coordinator, queues, directory, commit, technician, make_user
):
    directory.mailboxes = {"frontdesk@med.example.edu"}
    url = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert "Required to submit." in page.content.decode()

    # Save a draft with a bad username: the form says what is allowed.
    bad = coordinator_client.post(
        url, {"new_full_name": "Nia New", "new_username": "Nia New!", "intent": "save"}
    )
    assert bad.status_code == 200
    assert "lowercase letters" in bad.content.decode()
    assert not Order.objects.exists()

    # A partial draft saves and can be continued later.
    response = coordinator_client.post(
        url, {"new_full_name": "Nia New", "new_username": "nnew", "intent": "save"}
    )
    order = Order.objects.get()
    assert order.status == OrderStatus.DRAFT
    assert response.url == reverse("orders:portal_edit", args=[order.number])

    # Submitting without the email names the missing field.
    edit = reverse("orders:portal_edit", args=[order.number])
    missing = coordinator_client.post(
        edit, {"new_full_name": "Nia New", "new_username": "nnew", "intent": "submit"}
    )
    assert "Enter the new user&#x27;s email address." in missing.content.decode()

    from orders.models import OrderSubscription

    follower = make_user(Role.ORDERS_MANAGER)
    OrderSubscription.objects.create(order=order, user=follower)
    response = _post(
        coordinator_client,
        edit,
        {
            "new_full_name": "Nia New",
            "new_username": "nnew",
            "new_email": "nnew@med.example.edu",
            "distribution_groups": "staff-all\nlab-b",
            "shared_mailboxes": "frontdesk@med.example.edu",
            "intent": "submit",
        },
        commit,
    )
    assert response.url == reverse("orders:portal_detail", args=[order.number])
    order.refresh_from_db()
    # No person needed: account, groups, mailboxes and the confirmation ran; done.
    assert order.status == OrderStatus.COMPLETED
    assert directory.names() == ["create_account", "add_to_groups", "grant_mailboxes"]
    assert directory.calls[1][1]["groups"] == ["staff-all", "lab-b"]
    assert directory.calls[2][1]["mailboxes"] == ["frontdesk@med.example.edu"]

    # The confirmation reaches the coordinator with a one-time link, never a password.
    confirmation = OutboundEmail.objects.get(template="orders_confirmation")
    assert confirmation.to == [coordinator.email]
    assert "password:" not in confirmation.body_text.lower()
    access_url = next(
        u for u in _links_in(links_rendered(confirmation.body_text)) if "/orders/account/" in u
    )
    # The follower gets a copy, without the one-time link.
    copy = OutboundEmail.objects.get(to=[follower.email], subject__contains="Confirmation sent")
    assert "Confirmation sent" in copy.subject
    assert "/orders/account/" not in copy.body_text + copy.body_html
    path = access_url.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1" in access_url else access_url
    anonymous = coordinator_client.__class__()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Set the first password for nnew" in page.content.decode()
    assert "set_password" not in directory.names()  # GET changed nothing
    done = anonymous.post(
        path, {"password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    )
    assert done.status_code == 200
    assert directory.passwords == {"nnew": "a-long-passphrase"}
    assert anonymous.get(path).status_code == 410  # one time only

    detail = coordinator_client.get(reverse("orders:portal_detail", args=[order.number]))
    assert "Completed" in detail.content.decode()


def test_deactivate_future_replacement_parks_workstation(
    coordinator_client, coordinator, queues, directory, commit, make_user
):
    leaver = make_user(organization=coordinator.organization, email="leaver@med.example.edu")
    url = reverse("orders:portal_create", args=[OrderType.DEACTIVATE_FUTURE_REPLACEMENT])
    _post(
        coordinator_client,
        url,
        {"existing_user": leaver.pk, "workstation": "wx14", "intent": "submit"},
        commit,
    )
    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    placeholder = WorkstationPlaceholder.objects.get()
    assert placeholder.name == f"tmp-WX14 {order.number}"
    assert placeholder.active
    assert ("deactivate_account", "leaver") in [(n, k.get("username")) for n, k in directory.calls]
    rename = next(k for n, k in directory.calls if n == "rename_computer")
    assert rename["new_name"] == f"tmp-WX14 {order.number}"
    assert placeholder.name in OutboundEmail.objects.get(template="orders_confirmation").body_text

    # The placeholder is offered as "existing user" in a later replacement order.
    form = coordinator_client.get(
        reverse("orders:portal_create", args=[OrderType.DEACTIVATE_REPLACEMENT_NOW])
    )
    assert placeholder.name in form.content.decode()


def test_deactivate_replacement_now_from_placeholder(
    coordinator_client, coordinator, queues, directory, commit, make_user, technician
):
    leaver = make_user(organization=coordinator.organization)
    _post(
        coordinator_client,
        reverse("orders:portal_create", args=[OrderType.DEACTIVATE_FUTURE_REPLACEMENT]),
        {"existing_user": leaver.pk, "workstation": "WX14", "intent": "submit"},
        commit,
    )
    placeholder = WorkstationPlaceholder.objects.get()
    directory.calls.clear()

    url = reverse("orders:portal_create", args=[OrderType.DEACTIVATE_REPLACEMENT_NOW])
    response = _post(
        coordinator_client,
        url,
        {
            "replacing": f"placeholder:{placeholder.pk}",
            "new_full_name": "Rae Placement",
            "new_username": "rplacement",
            "new_email": "rplacement@med.example.edu",
            "preferences": "Printer on 3rd floor",
            "intent": "submit",
        },
        commit,
    )
    assert response.status_code == 302
    order = Order.objects.get(order_type=OrderType.DEACTIVATE_REPLACEMENT_NOW)
    assert order.workstation == "WX14"
    assert order.existing_placeholder == placeholder
    # No account behind a placeholder: nothing to deactivate, new account, desktop.
    assert directory.names() == ["create_account", "rename_computer", "recommission_desktop"]
    assert directory.calls[1][1]["workstation"] == placeholder.name
    assert directory.calls[1][1]["new_name"] == "WX14"
    assert directory.calls[2][1] == {
        "workstation": "WX14",
        "username": "rplacement",
        "idempotency_key": directory.calls[2][1]["idempotency_key"],
    }
    placeholder.refresh_from_db()
    assert not placeholder.active
    # The manual preferences step waits for staff; then the confirmation goes.
    with commit():
        order_action_process(
            action=order.actions.get(kind="manual"), actor=technician, note="Printer mapped."
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    email = OutboundEmail.objects.get(template="orders_confirmation", related_id=str(order.pk))
    assert "/orders/account/" in email.body_text
    assert "rplacement" in email.body_text


def test_replacement_now_needs_exactly_one_person(coordinator_client, coordinator, queues):
    url = reverse("orders:portal_create", args=[OrderType.DEACTIVATE_REPLACEMENT_NOW])
    response = coordinator_client.post(
        url,
        {
            "new_full_name": "Rae",
            "new_username": "rae01",
            "new_email": "rae@med.example.edu",
            "intent": "submit",
        },
        follow=True,  # to the draft's page, which shows why it cannot be submitted
    )
    assert "Choose either the user being replaced or a parked workstation" in (
        response.content.decode()
    )
    assert Order.objects.get().status == OrderStatus.DRAFT


def _slot(team):
    from scheduling.calendar import business_calendar
    from scheduling.services import slot_create_one_off

    day = business_calendar().next_business_day(timezone.localdate() + dt.timedelta(days=3))
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    return slot_create_one_off(team=team, start=start, capacity=1)


def test_install_software_secret_and_appointment(
    coordinator_client, coordinator, queues, directory, commit, end_user, technician, mailoutbox
):
    team = SupportTeam.objects.create(name="Orders Technicians")
    slot = _slot(team)
    title = InstallableSoftwareFactory(name="MATLAB")
    url = reverse("orders:portal_create", args=[OrderType.INSTALL_SOFTWARE])
    _post(
        coordinator_client,
        url,
        {
            "software": [title.pk],
            "existing_user": end_user.pk,
            "workstation": "WX77",
            "intent": "submit",
        },
        commit,
    )
    order = Order.objects.get()
    order.refresh_from_db()
    assert order.owner == technician
    assert order.status == OrderStatus.IN_PROGRESS
    assert OutboundEmail.objects.filter(template="orders_confirmation").exists()
    link_email = OutboundEmail.objects.get(template="orders_enduser_link")
    assert link_email.to == [end_user.email]
    link = next(u for u in _links_in(links_rendered(link_email.body_text)) if "/orders/l/" in u)
    path = link.split("127.0.0.1:8000", 1)[-1]

    anonymous = coordinator_client.__class__()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Your software install" in page.content.decode()
    assert not EndUserSecret.objects.exists()  # GET never mutates

    password = "Tr0ub4dor&3-secret"
    with commit():
        done = anonymous.post(path, {"password": password, "slot": str(slot.pk)})
    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    secret = EndUserSecret.objects.get()
    assert password not in secret.ciphertext
    assert secret.ciphertext.startswith("gAAAA")  # a Fernet token
    _assert_not_in_database(password)
    from scheduling.selectors import booking_active_for

    assert booking_active_for(obj=order).slot_id == slot.pk
    # The owner learns who booked, when and where, with an invite for their calendar.
    booked = OutboundEmail.objects.get(template="orders_appointment_booked")
    assert booked.to == [technician.email]
    when = timezone.localtime(slot.start)
    assert booked.subject == (
        f"Order {order.number}: {end_user.display_name} ({order.organization.name}) booked "
        f"{when:%a, %b} {when.day}, {when.strftime('%I:%M %p').lstrip('0')}, "
        "at the end user's desk (WX77)"
    )
    assert "Software: MATLAB" in booked.body_text
    assert booked.attachments[0]["filename"] == "appointment.ics"
    assert "BEGIN:VEVENT" in booked.attachments[0]["content"]
    # The staff order page shows it at the top.
    staff = coordinator_client.__class__()
    staff.force_login(technician)
    staff_page = staff.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    appointment = staff_page[staff_page.index('id="appointment"') :].split("</section>")[0]
    assert f"{when:%A, %B} {when.day}, {when.year}" in appointment
    assert "At the end user's desk (WX77) · Orders Technicians" in appointment
    detail = coordinator_client.get(reverse("orders:portal_detail", args=[order.number]))
    assert "Not booked yet" not in detail.content.decode()
    assert "Appointment" in detail.content.decode()
    assert anonymous.get(path).status_code == 410  # spent

    # Shown once to the assigned technician, audited; a second look is refused.
    assert enduser_secret_reveal(order=order, actor=technician) == password
    assert OrderAudit.objects.filter(order=order, transition="secret_revealed").exists()
    from orders.exceptions import SecretUnavailable

    with pytest.raises(SecretUnavailable, match="already shown"):
        enduser_secret_reveal(order=order, actor=technician)

    # Completing the order purges it.
    with commit():
        order_action_process(
            action=order.actions.get(kind="manual"), actor=technician, note="Installed."
        )
    secret.refresh_from_db()
    assert secret.purged_at is not None
    assert secret.ciphertext == ""
    assert all(a.status == ActionStatus.DONE for a in order.actions.all())


def test_secret_is_purged_after_retention_days(
    queues, directory, coordinator, end_user, technician, time_machine, settings
):
    from orders.services import enduser_link_submit, order_create_draft, order_submit

    title = InstallableSoftwareFactory()
    order = order_create_draft(
        order_type=OrderType.INSTALL_SOFTWARE,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"software": [title], "existing_user": end_user, "workstation": "WX1"},
    )
    order_submit(order=order, actor=coordinator)
    enduser_link_submit(order=order, password="secret-pass-1", slot_id=None)
    assert enduser_secrets_purge_task.delay().get() == 0
    time_machine.move_to(
        timezone.now() + dt.timedelta(days=settings.END_USER_SECRET_RETENTION_DAYS, hours=1)
    )
    assert enduser_secrets_purge_task.delay().get() == 1
    secret = EndUserSecret.objects.get()
    assert secret.ciphertext == ""
    assert secret.purged_at is not None
    assert enduser_secrets_purge_task.delay().get() == 0  # idempotent


def test_secret_keys_rotate(settings, queues, coordinator, end_user):
    from cryptography.fernet import Fernet

    from orders.services import (
        enduser_link_submit,
        enduser_secrets_rotate,
        order_create_draft,
        order_submit,
    )

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FERNET_KEYS = [old]
    order = order_create_draft(
        order_type=OrderType.INSTALL_SOFTWARE,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "software": [InstallableSoftwareFactory()],
            "existing_user": end_user,
            "workstation": "WX2",
        },
    )
    order_submit(order=order, actor=coordinator)
    enduser_link_submit(order=order, password="rotate-me", slot_id=None)
    settings.FERNET_KEYS = [new, old]
    assert enduser_secrets_rotate() == 1
    settings.FERNET_KEYS = [new]
    from orders.crypto import secret_decrypt

    assert secret_decrypt(EndUserSecret.objects.get().ciphertext) == "rotate-me"


def _assert_not_in_database(text: str) -> None:
    """Scan every text column of the orders, notifications and audit tables."""
    from django.apps import apps
    from django.db import models

    for app_label in ("orders", "notifications", "scheduling"):
        for model in apps.get_app_config(app_label).get_models():
            text_fields = [
                f.name
                for f in model._meta.get_fields()
                if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            ]
            for row in model.objects.values(*text_fields):
                for value in row.values():
                    assert text not in str(value), f"{model.__name__} holds the clear text"
