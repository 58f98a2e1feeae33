"""A technician finds their install appointment under "My appointments" and on the order."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from orders.choices import OrderStatus, OrderType
from scheduling.models import ScheduleSlot
from scheduling.services import booking_create
from tests.accounts.factories import OrganizationFactory, SupportTeamFactory, UserFactory
from tests.orders.factories import OrderFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_technician_sees_the_appointment_and_opens_the_order(page, live_server, login):
    technician = UserFactory(
        full_name="Theo Technician", roles=[Role.ORDERS_TECHNICIAN], is_staff=True
    )
    end_user = UserFactory(full_name="Avery Garcia")
    order = OrderFactory(
        organization=OrganizationFactory(name="School of Medicine"),
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
        existing_user=end_user,
        workstation="MED-WX08",
        owner=technician,
    )
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=2)
    slot = ScheduleSlot.objects.create(
        team=SupportTeamFactory(name="Orders Technicians"),
        start=start,
        end=start + dt.timedelta(hours=1),
        capacity=1,
        location_note="IT bar, 2nd floor",
    )
    booking_create(slot_id=slot.pk, booked_object=order)
    day = timezone.localtime(start).date()

    login(technician)
    page.goto(f"{live_server.url}/orders/staff/appointments/?view=day&day={day.isoformat()}")
    expect(page.get_by_role("heading", name="My appointments", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=f"Order {order.number}")
    expect(row).to_contain_text("Avery Garcia")
    expect(row).to_contain_text("IT bar, 2nd floor")
    row.get_by_role("link", name=f"Order {order.number}").click()

    card = page.locator("#appointment")
    expect(card.get_by_role("heading", name="Appointment")).to_be_visible()
    expect(card).to_contain_text("IT bar, 2nd floor · Orders Technicians")
    expect(card).to_contain_text(f"{start.astimezone(timezone.get_current_timezone()):%A, %B}")
