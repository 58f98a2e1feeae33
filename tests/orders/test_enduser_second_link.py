"""A second end-user link after the appointment is booked (issue 12 #3): the page offers
"keep my appointment" or another time instead of refusing every slot."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.choices import LINK_PURPOSE_ORDER_SECRET, OrderStatus, OrderType
from orders.models import EndUserSecret, OrderAudit
from orders.services.notify import enduser_link_issue
from scheduling.models import ScheduleSlot
from scheduling.selectors import booking_active_for
from scheduling.services import booking_create
from tests.accounts.factories import SupportTeamFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _slot(team, days):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=days, hours=2)
    return ScheduleSlot.objects.create(
        team=team, start=start, end=start + dt.timedelta(hours=1), capacity=1
    )


@pytest.fixture
def booked(organization, technician, make_user):
    team = SupportTeamFactory(name="Orders Technicians")
    order = OrderFactory(
        organization=organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
        workstation="MED-WX08",
        owner=technician,
        existing_user=make_user(organization=organization),
    )
    first, other = _slot(team, 2), _slot(team, 3)
    booking_create(slot_id=first.pk, booked_object=order)
    issued = enduser_link_issue(order=order)  # staff ask the end user again
    assert issued.link.purpose == LINK_PURPOSE_ORDER_SECRET
    url = reverse("orders:enduser_link", args=[issued.token])
    return {"order": order, "first": first, "other": other, "url": url}


def test_the_second_link_offers_to_keep_the_appointment(client, booked):
    page = client.get(booked["url"]).content.decode()
    start = timezone.localtime(booked["first"].start)
    assert f"Your visit is booked for <strong>{start:%A, %B} {start.day}" in page
    assert 'value="keep"' in page
    assert "Keep my appointment:" in page
    assert f'value="{booked["other"].pk}"' in page
    assert f'value="{booked["first"].pk}"' not in page  # not offered twice


def test_keeping_the_appointment_stores_the_password_and_books_nothing_new(client, booked):
    response = client.post(booked["url"], {"password": "correct horse", "slot": "keep"})
    assert response.status_code == 200
    assert "This link does not work" not in response.content.decode()
    assert EndUserSecret.objects.filter(order=booked["order"], purged_at__isnull=True).exists()
    assert booking_active_for(obj=booked["order"]).slot_id == booked["first"].pk
    audit = OrderAudit.objects.filter(order=booked["order"], transition="secret_given").get()
    assert audit.note == "The end user gave their password and kept their appointment."


def test_picking_another_time_moves_the_appointment(client, booked):
    response = client.post(
        booked["url"], {"password": "correct horse", "slot": str(booked["other"].pk)}
    )
    assert response.status_code == 200
    assert booking_active_for(obj=booked["order"]).slot_id == booked["other"].pk
    booked["first"].refresh_from_db()
    assert booked["first"].booked_count == 0
    audit = OrderAudit.objects.filter(order=booked["order"], transition="secret_given").get()
    assert audit.note.endswith("and moved their appointment.")
