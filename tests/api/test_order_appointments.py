"""An install's appointment over the API (issue 15, with issue 12 #2's services)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from notifications.models import OutboundEmail
from orders.choices import OrderStatus, OrderType
from orders.models import OrderAudit
from scheduling.models import ScheduleSlot
from scheduling.selectors import booking_active_for
from scheduling.services import booking_create
from tests.accounts.factories import SupportTeamFactory
from tests.orders.factories import OrderFactory

from .conftest import key_client

pytestmark = pytest.mark.django_db


def _slot(team, days, capacity=1):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=days, hours=1)
    return ScheduleSlot.objects.create(
        team=team, start=start, end=start + dt.timedelta(hours=1), capacity=capacity
    )


@pytest.fixture
def install(organization, make_user):
    team = SupportTeamFactory(name="Orders Technicians")
    order = OrderFactory(
        organization=organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
        workstation="WX08",
        existing_user=make_user(organization=organization),
    )
    return order, team


def _url(order):
    return f"/api/v1/orders/{order.number}/appointment/"


def test_staff_book_move_read_and_cancel(install, make_user, django_capture_on_commit_callbacks):
    order, team = install
    api = key_client(make_user(Role.ORDERS_TECHNICIAN, is_staff=True))
    first, second = _slot(team, 2), _slot(team, 3)
    assert api.get(_url(order)).status_code == 404

    booked = api.post(_url(order), {"slot_id": first.pk}, format="json")
    assert booked.status_code == 200
    assert booked.json()["slot_id"] == first.pk
    with django_capture_on_commit_callbacks(execute=True):
        moved = api.post(_url(order), {"slot_id": second.pk, "note": "API"}, format="json")
    assert moved.json()["slot_id"] == second.pk
    assert api.get(_url(order)).json()["slot_id"] == second.pk
    assert OrderAudit.objects.filter(order=order, transition="appointment_moved").exists()
    assert OutboundEmail.objects.filter(template="orders_appointment_changed").count() == 2

    cancelled = api.delete(_url(order), {"reason": "Licence late"}, format="json")
    assert cancelled.status_code == 204
    assert booking_active_for(obj=order) is None
    again = api.delete(_url(order), {}, format="json")
    assert again.status_code == 400
    assert again["Content-Type"] == "application/problem+json"


def test_a_full_slot_answers_409_and_keeps_the_appointment(install, organization, make_user):
    order, team = install
    api = key_client(make_user(Role.ORDERS_TECHNICIAN, is_staff=True))
    mine, full = _slot(team, 2), _slot(team, 3)
    booking_create(slot_id=mine.pk, booked_object=order)
    other = OrderFactory(organization=organization, order_type=OrderType.INSTALL_SOFTWARE)
    booking_create(slot_id=full.pk, booked_object=other)
    response = api.post(_url(order), {"slot_id": full.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "That slot is no longer available. Please pick another one."
    assert booking_active_for(obj=order).slot_id == mine.pk


def test_coordinators_may_not_touch_appointments(install, organization, make_user):
    order, team = install
    coordinator = make_user(Role.COORDINATOR, organization=organization)
    response = key_client(coordinator).post(
        _url(order), {"slot_id": _slot(team, 2).pk}, format="json"
    )
    assert response.status_code == 403
    assert booking_active_for(obj=order) is None
