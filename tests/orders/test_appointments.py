"""An install's appointment on the staff order page, with its history when moved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.choices import OrderStatus, OrderType
from scheduling.models import ScheduleSlot
from scheduling.services import booking_create, booking_reschedule
from tests.accounts.factories import SupportTeamFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _slot(team, days, note=""):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=days)
    return ScheduleSlot.objects.create(
        team=team, start=start, end=start + dt.timedelta(hours=1), capacity=1, location_note=note
    )


def test_staff_page_shows_the_moved_appointment_and_where_it_was(
    client, technician, manager, organization
):
    team = SupportTeamFactory(name="Orders Technicians")
    order = OrderFactory(
        organization=organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
        workstation="MED-WX08",
        owner=technician,
    )
    first, second = _slot(team, 2), _slot(team, 4, note="IT bar, 2nd floor")
    booking = booking_create(slot_id=first.pk, booked_object=order)
    booking_reschedule(booking=booking, new_slot_id=second.pk, by=manager)

    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    card = page[page.index('id="appointment"') :].split("</section>")[0]
    new, old = timezone.localtime(second.start), timezone.localtime(first.start)
    assert f"{new:%A, %B} {new.day}, {new.year}" in card
    assert "IT bar, 2nd floor · Orders Technicians" in card
    assert f"Booked by {manager}" in card
    assert f"<s>{old:%a, %b} {old.day}," in card
    today = timezone.localtime()
    assert f"Rescheduled on {today:%b} {today.day}, {today.year}" in card
    assert f"by {manager}." in card


def test_other_order_types_have_no_appointment_card(client, technician, organization):
    order = OrderFactory(organization=organization, status=OrderStatus.IN_PROGRESS)
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert 'id="appointment"' not in page
