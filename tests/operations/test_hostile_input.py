"""Hostile input never gives a 500 nor a partial write (hypothesis-generated).

Covers the forms the security review broke: the calendar filter, the one-off
slot and slot preference forms (far dates, 2**31 capacities), and the order's
organization (non-numeric ids). Other form views are not covered yet.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from orders.models import Order
from scheduling.models import ScheduleSlot, ScheduleSlotPreference
from tests.orders import conftest as orders_fixtures
from tests.orders.staff_helpers import submitted_email_order

commit = orders_fixtures.commit
directory = orders_fixtures.directory
queues = orders_fixtures.queues
technician = orders_fixtures.technician

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["2147483648", "-1", "0", "1e9", "NaN", "", " ", "0x10", "１２"]),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "99999-01-01", "-1-01-01"]),
)
odd_text = st.text(min_size=0, max_size=400)
anything = st.one_of(numbers, dates, odd_text)


@pytest.fixture
def slot_admin(make_user):
    return make_user(Role.SCHEDULE_SLOT_ADMIN, Role.REFRESH_MANAGER)


@HOSTILE
@given(date=anything, view=anything, team=anything)
@example(date="9999-12-31", view="week", team="")  # the review's 500s
@example(date="0001-01-01", view="month", team="")
def test_calendar_filter(client, slot_admin, date, view, team):
    client.force_login(slot_admin)
    response = client.get(
        reverse("scheduling:calendar"), {"date": date, "view": view, "team": team}
    )
    assert response.status_code == 200


@HOSTILE
@given(date=dates, start=anything, duration=numbers, capacity=numbers, note=odd_text)
@example(date="9999-12-31", start="10:00", duration="60", capacity="2", note="")
@example(date="2026-12-01", start="10:00", duration="60", capacity="2147483648", note="")
def test_one_off_slot_form(client, slot_admin, support_team, date, start, duration, capacity, note):
    client.force_login(slot_admin)
    before = ScheduleSlot.objects.count()
    response = client.post(
        reverse("scheduling:slot_create"),
        {
            "team": support_team.pk,
            "date": date,
            "start_time": start,
            "duration_minutes": duration,
            "capacity": capacity,
            "location_note": note,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # the form came back with errors: nothing saved
        assert ScheduleSlot.objects.count() == before


@HOSTILE
@given(
    weekday=anything,
    start=anything,
    duration=numbers,
    capacity=numbers,
    team=st.one_of(st.none(), anything),  # None: the real team
)
@example(weekday="0", start="10:00", duration="60", capacity="2147483648", team=None)
def test_slot_preference_form(
    client, slot_admin, support_team, weekday, start, duration, capacity, team
):
    client.force_login(slot_admin)
    team = support_team.pk if team is None else team
    before = ScheduleSlotPreference.objects.count()
    response = client.post(
        reverse("scheduling:preference_create"),
        {
            "team": team,
            "weekday": weekday,
            "start_time": start,
            "duration_minutes": duration,
            "capacity": capacity,
            "active": "on",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert ScheduleSlotPreference.objects.count() == before


@HOSTILE
@given(organization=anything)
@example(organization="abc")
def test_order_organization(
    client, technician, coordinator, queues, directory, commit, organization
):  # noqa: F811
    order = Order.objects.first() or submitted_email_order(coordinator=coordinator, commit=commit)
    before = order.organization_id
    client.force_login(technician)
    url = reverse("orders:staff_organization", args=[order.number])
    response = client.post(url, {"organization": organization})
    assert response.status_code in (302, 404)
    if response.status_code == 404:
        order.refresh_from_db()
        assert order.organization_id == before


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        # Found by tests/operations/test_hostile_forms.py: a "next" that is not a
        # path was reversed as a view name (500), a serial with NUL or past the
        # column's 100 characters reached PostgreSQL (500).
        ("integrations:itsm_stub_asset", {"serial_number": "AB\x00C"}),
        ("integrations:itsm_stub_asset", {"serial_number": "X" * 101}),
        ("integrations:itsm_stub_ticket_status", {"status": "closed", "next": "0"}),
        ("integrations:itsm_stub_ticket_status", {"status": "closed", "next": "admin:index"}),
    ],
)
def test_itsm_stub_forms_refuse_what_the_hostile_test_found(client, make_user, url_name, data):
    from integrations.models import StubITSMAsset, StubITSMTicket

    ticket = StubITSMTicket.objects.create(title="T")
    args = [ticket.pk] if url_name.endswith("ticket_status") else []
    client.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    response = client.post(reverse(url_name, args=args), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("integrations:itsm_stub")
    assert not StubITSMAsset.objects.exists()
