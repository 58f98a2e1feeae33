"""Staff move or cancel a software install's appointment from the order page (issue 12 #2)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from notifications.models import OutboundEmail
from orders.choices import OrderStatus, OrderType
from orders.models import OrderAudit
from orders.services.appointments import order_appointment_move
from scheduling.exceptions import SlotUnavailable
from scheduling.models import ScheduleSlot
from scheduling.selectors import booking_active_for
from scheduling.services import booking_create
from tests.accounts.factories import SupportTeamFactory
from tests.orders.factories import InstallableSoftwareFactory, OrderFactory

pytestmark = pytest.mark.django_db


def _slot(team, days, capacity=1, note="IT bar, 2nd floor"):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=days, hours=1)
    return ScheduleSlot.objects.create(
        team=team,
        start=start,
        end=start + dt.timedelta(hours=1),
        capacity=capacity,
        location_note=note,
    )


@pytest.fixture
def install(organization, technician, make_user):
    team = SupportTeamFactory(name="Orders Technicians")
    end_user = make_user(organization=organization, full_name="Avery Garcia")
    order = OrderFactory(
        organization=organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
        workstation="MED-WX08",
        owner=technician,
        existing_user=end_user,
    )
    order.software.set([InstallableSoftwareFactory(name="EndNote")])
    first = _slot(team, 2)
    booking_create(slot_id=first.pk, booked_object=order)
    return {"order": order, "team": team, "first": first, "end_user": end_user}


def _when(slot):
    start = timezone.localtime(slot.start)
    return f"{start:%A, %B} {start.day}, {start.year}"


def test_staff_move_the_appointment_and_the_end_user_gets_the_new_time_with_an_ics(
    client, technician, install, django_capture_on_commit_callbacks
):
    order, team = install["order"], install["team"]
    second = _slot(team, 4, note="Room 210")
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "Move or cancel the appointment" in page
    form = client.get(reverse("orders:staff_appointment", args=[order.number])).content.decode()
    assert f'value="{second.pk}"' in form
    assert f'value="{install["first"].pk}"' not in form  # the current slot is not offered

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orders:staff_appointment", args=[order.number]),
            {"slot": second.pk, "note": "Technician out sick"},
        )
    assert response.status_code == 302
    assert booking_active_for(obj=order).slot_id == second.pk
    install["first"].refresh_from_db()
    second.refresh_from_db()
    assert (install["first"].booked_count, second.booked_count) == (0, 1)

    audit = OrderAudit.objects.get(order=order, transition="appointment_moved")
    assert audit.actor == technician
    assert "Technician out sick" in audit.note
    assert list(audit.changes) == ["appointment"]

    sent = [m for m in mail.outbox if install["end_user"].email in m.to]
    assert len(sent) == 1
    message = sent[0]
    new = timezone.localtime(second.start)
    assert f"Your IT visit is now {new:%a, %b} {new.day}" in message.subject
    assert f"When: {_when(second)}" in message.body
    assert "Where: Room 210" in message.body
    assert f"Instead of: {_when(install['first'])}" in message.body
    names = [name for name, _content, _type in message.attachments]
    assert names == ["appointment.ics", "cancelled-appointment.ics"]
    assert "STATUS:CONFIRMED" in message.attachments[0][1]
    assert "METHOD:CANCEL" in message.attachments[1][1]

    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    card = page[page.index('id="appointment"') :].split("</section>")[0]
    assert _when(second) in card
    assert "Rescheduled" in card


def test_a_full_slot_is_refused_and_the_old_appointment_stays(
    client, technician, install, organization
):
    order, team = install["order"], install["team"]
    full = _slot(team, 3)
    other = OrderFactory(
        organization=organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
    )
    booking_create(slot_id=full.pk, booked_object=other)
    # The page no longer offers it...
    client.force_login(technician)
    response = client.post(
        reverse("orders:staff_appointment", args=[order.number]), {"slot": full.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    # ...and the service refuses it when it filled up after the page was shown.
    with pytest.raises(SlotUnavailable):
        order_appointment_move(order=order, actor=technician, slot_id=full.pk)
    assert booking_active_for(obj=order).slot_id == install["first"].pk
    full.refresh_from_db()
    assert full.booked_count == 1
    assert not OrderAudit.objects.filter(order=order, transition="appointment_moved").exists()


def test_staff_cancel_the_appointment_and_the_end_user_is_told(
    client, manager, install, django_capture_on_commit_callbacks
):
    order = install["order"]
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orders:staff_appointment_cancel", args=[order.number]),
            {"reason": "The software licence has not arrived."},
        )
    assert response.status_code == 302
    assert booking_active_for(obj=order) is None
    install["first"].refresh_from_db()
    assert install["first"].booked_count == 0
    audit = OrderAudit.objects.get(order=order, transition="appointment_cancelled")
    assert audit.actor == manager
    email = OutboundEmail.objects.get(template="orders_appointment_changed")
    assert email.to == [install["end_user"].email]
    assert "is cancelled" in email.subject
    assert "Reason: The software licence has not arrived." in email.body_text
    assert "METHOD:CANCEL" in email.attachments[0]["content"]
    # The technician (owner) was not the one who cancelled: the page shows it to them.
    again = client.post(reverse("orders:staff_appointment_cancel", args=[order.number]))
    assert again.status_code == 302
    follow = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "has no appointment to cancel" in follow


def test_a_completed_order_keeps_its_appointment(client, technician, install):
    order, team = install["order"], install["team"]
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.COMPLETED)
    second = _slot(team, 5)
    client.force_login(technician)
    response = client.post(
        reverse("orders:staff_appointment", args=[order.number]), {"slot": second.pk}
    )
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    assert booking_active_for(obj=order).slot_id == install["first"].pk


def test_people_who_do_not_work_orders_cannot_move_appointments(client, make_user, install):
    client.force_login(make_user(Role.REFRESH_MANAGER))
    url = reverse("orders:staff_appointment", args=[install["order"].number])
    assert client.get(url).status_code == 403
