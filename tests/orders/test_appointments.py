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
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=days, hours=1)
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


def _install(organization, owner, team, days, **fields):
    order = OrderFactory(
        organization=organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.IN_PROGRESS,
        workstation=fields.pop("workstation", "MED-WX08"),
        owner=owner,
        **fields,
    )
    booking_create(slot_id=_slot(team, days, note="IT bar").pk, booked_object=order)
    return order


@pytest.fixture
def week(technician, manager, organization, time_machine, settings):
    """On a Wednesday morning: two of the technician's installs booked today, one next
    week, one of another technician today."""
    from zoneinfo import ZoneInfo

    wednesday = dt.datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    time_machine.move_to(wednesday, tick=False)
    team = SupportTeamFactory(name="Orders Technicians")
    today = timezone.localdate()
    to_sunday = 6 - today.weekday()
    mine = [_install(organization, technician, team, 0) for _ in range(2)]
    later = _install(organization, technician, team, to_sunday + 3)
    theirs = _install(organization, manager, team, 0)
    return {"mine": mine, "later": later, "theirs": theirs}


def test_my_appointments_lists_my_installs_this_week(
    client, technician, week, django_assert_num_queries
):
    from scheduling.services import calendar_feed_create

    calendar_feed_create(user=technician)  # the page then says when it was made
    client.force_login(technician)
    url = reverse("orders:staff_appointments")
    # session, user, perms (2), my orders, their software, their bookings, the feed
    # (exists?), the navigation's roles
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    for order in week["mine"]:
        assert f'href="{reverse("orders:staff_detail", args=[order.number])}"' in page
    assert f"Order {week['later'].number}" not in page
    assert f"Order {week['theirs'].number}" not in page
    assert "2 appointments" in page
    assert "My appointments" in page  # in the navigation too
    next_week = client.get(url, {"view": "week", "day": _next_monday().isoformat()})
    assert f"Order {week['later'].number}" in next_week.content.decode()


def _next_monday():
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def test_my_appointments_one_day(client, technician, week):
    client.force_login(technician)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = client.get(
        reverse("orders:staff_appointments"), {"view": "day", "day": tomorrow.isoformat()}
    ).content.decode()
    assert "No appointments." in page
    assert "0 appointments" in page


def test_personal_feed_carries_my_appointments_only(client, technician, week, make_user):
    from scheduling.services import calendar_feed_create

    token = calendar_feed_create(user=technician)
    response = client.get(reverse("orders:appointments_feed", args=[token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode().replace("\r\n ", "")
    for order in [*week["mine"], week["later"]]:
        assert f"SUMMARY:Order {order.number}: install for" in body
    assert f"Order {week['theirs'].number}" not in body
    assert "LOCATION:IT bar" in body

    outsider = calendar_feed_create(user=make_user())
    assert client.get(reverse("orders:appointments_feed", args=[outsider])).status_code == 404
    assert client.get(reverse("orders:appointments_feed", args=["nope"])).status_code == 404


def test_the_calendar_link_is_made_by_a_post_and_shown_once(client, technician):
    from scheduling.models import CalendarFeedToken

    client.force_login(technician)
    page = client.get(reverse("orders:staff_appointments")).content.decode()
    assert "Make my calendar link" in page
    assert not CalendarFeedToken.objects.exists()  # GET makes nothing
    response = client.post(reverse("orders:appointments_feed_create"))
    assert response["Cache-Control"] == "no-store"
    url = response.context["feed_url"]
    token = url.rstrip("/").split("/")[-2]
    assert client.get(reverse("orders:appointments_feed", args=[token])).status_code == 200
    again = client.get(reverse("orders:staff_appointments")).content.decode()
    assert token not in again
    assert "Make a new calendar link" in again
