"""Staff pages: permissions, calendar views with fixed query counts, slots, preferences, feeds."""

import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from accounts.roles import Role
from notifications.links import FAILURES_PER_MINUTE
from scheduling.calendar import business_calendar
from scheduling.models import CalendarFeedToken, ScheduleSlot, ScheduleSlotPreference
from scheduling.selectors import free_capacity_by_team
from scheduling.services import booking_create, calendar_feed_create
from tests.accounts.factories import SupportTeamFactory

from .factories import ScheduleSlotFactory, ScheduleSlotPreferenceFactory

pytestmark = pytest.mark.django_db

DETROIT = ZoneInfo("America/Detroit")
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=DETROIT), tick=False):
        yield


@pytest.fixture
def manager(make_user):
    return make_user(Role.REFRESH_MANAGER, is_staff=True)


def make_slots(team, count, day=MONDAY):
    slots = []
    for i in range(count):
        start = dt.datetime.combine(
            day + dt.timedelta(days=1 + i % 5), dt.time(9 + i % 8, 0), tzinfo=DETROIT
        )
        slots.append(
            ScheduleSlot(team=team, start=start, end=start + dt.timedelta(hours=1), capacity=2)
        )
    return ScheduleSlot.objects.bulk_create(slots)


class TestPermissions:
    @pytest.mark.parametrize(
        "name", ["scheduling:calendar", "scheduling:preference_list", "scheduling:slot_create"]
    )
    def test_anonymous_goes_to_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/login/" in response["Location"]

    def test_coordinator_is_denied(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get(reverse("scheduling:calendar")).status_code == 403

    def test_manager_views_but_cannot_edit(self, client, manager):
        client.force_login(manager)
        response = client.get(reverse("scheduling:calendar"))
        assert response.status_code == 200
        assert b"Add one-off slot" not in response.content
        assert client.get(reverse("scheduling:preference_list")).status_code == 403
        slot = ScheduleSlotFactory()
        assert client.post(reverse("scheduling:slot_delete", args=[slot.pk])).status_code == 403

    def test_slot_admin_sees_admin_actions(self, client, slot_admin):
        client.force_login(slot_admin)
        response = client.get(reverse("scheduling:calendar"))
        assert b"Add one-off slot" in response.content
        assert b"Slot preferences" in response.content


class TestCalendar:
    def test_week_shows_free_and_booked_counts(self, client, manager, support_team):
        slot = make_slots(support_team, 1)[0]
        booking_create(slot_id=slot.pk, booked_object=SupportTeamFactory())
        client.force_login(manager)
        response = client.get(reverse("scheduling:calendar"), {"date": "2026-11-23"})
        content = response.content.decode()
        assert "<h1>Slot calendar</h1>" in content
        assert "1/2 booked · 1 free" in content
        assert support_team.name in content
        # Thanksgiving is shown closed.
        assert "Closed: Thanksgiving Day" in content

    def test_team_filter(self, client, manager, support_team):
        other = SupportTeamFactory(name="Other team")
        make_slots(support_team, 1)
        make_slots(other, 1)
        client.force_login(manager)
        response = client.get(reverse("scheduling:calendar"), {"team": support_team.pk})
        assert response.context["team"] == support_team
        shown = [s for d in response.context["days"] for s in d.slots]
        assert {s.team_id for s in shown} == {support_team.pk}

    def test_month_view(self, client, manager, support_team):
        make_slots(support_team, 3)
        client.force_login(manager)
        response = client.get(
            reverse("scheduling:calendar"), {"view": "month", "date": "2026-11-05"}
        )
        assert response.status_code == 200
        assert "November 2026" in response.content.decode()
        days = [d for week in response.context["weeks"] for d in week]
        assert sum(d.slot_count for d in days) == 3
        assert sum(d.booked for d in days) == 0

    def test_each_slots_delete_form_carries_a_working_csrf_token(self, slot_admin, support_team):
        """The week reads the CSRF token once for every slot's delete form."""
        first, second = make_slots(support_team, 2)
        client = Client(enforce_csrf_checks=True)
        client.force_login(slot_admin)
        page = client.get(reverse("scheduling:calendar"), {"date": "2026-11-23"}).text
        for slot in (first, second):
            action = reverse("scheduling:slot_delete", args=[slot.pk])
            form = re.search(
                rf'<form method="post" action="{action}" class="cal-slot__delete">'
                r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
                page,
            )
            assert form is not None
            assert client.post(action, {"csrfmiddlewaretoken": form[1]}).status_code == 302
            slot.refresh_from_db()
            assert slot.deleted_at is not None
        assert client.post(reverse("scheduling:slot_delete", args=[first.pk])).status_code == 403

    @pytest.mark.parametrize("view", ["week", "month"])
    def test_one_teams_query_count_is_fixed(
        self, client, manager, support_team, django_assert_num_queries, view
    ):
        client.force_login(manager)
        client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
        params = {"view": view, "date": "2026-11-23", "team": support_team.pk}
        make_slots(support_team, 2)
        # session, user, feed (none), teams (printed and looked up), slots.
        business_calendar()
        with django_assert_num_queries(5):
            assert client.get(reverse("scheduling:calendar"), params).status_code == 200
        make_slots(support_team, 120)
        business_calendar()
        with django_assert_num_queries(5):
            response = client.get(reverse("scheduling:calendar"), params)
        assert response.context["team"] == support_team
        days = response.context["days"] if view == "week" else sum(response.context["weeks"], [])
        assert sum(d.slot_count for d in days) == 122

    @pytest.mark.parametrize("view", ["week", "month"])
    def test_query_count_is_fixed(self, client, manager, django_assert_num_queries, view):
        teams = [SupportTeamFactory() for _ in range(3)]
        client.force_login(manager)
        client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
        calendar_feed_create(user=manager)  # the page then shows the feed's links
        params = {"view": view, "date": "2026-11-23"}
        make_slots(teams[0], 2)
        # session, user, feed (exists?), teams (once: the filter prints them
        # and finds the chosen one in them), slots (one query whatever their
        # number; the all-teams week also each team's totals).
        expected = 6 if view == "week" else 5
        business_calendar()  # closure days loaded before counting
        with django_assert_num_queries(expected):
            assert client.get(reverse("scheduling:calendar"), params).status_code == 200
        for team in teams:
            make_slots(team, 40)
        # The same page again with 40x the slots (past what the week lists one
        # by one): the same count.
        business_calendar()
        with django_assert_num_queries(expected):
            response = client.get(reverse("scheduling:calendar"), params)
        assert response.status_code == 200


class TestSlots:
    def test_admin_adds_a_one_off_slot(self, client, slot_admin, support_team):
        client.force_login(slot_admin)
        response = client.post(
            reverse("scheduling:slot_create"),
            {
                "team": support_team.pk,
                "date": "2026-11-24",
                "start_time": "13:30",
                "duration_minutes": 45,
                "capacity": 3,
                "location_note": "Room 101",
            },
        )
        assert response.status_code == 302
        slot = ScheduleSlot.objects.get()
        assert slot.start == dt.datetime(2026, 11, 24, 13, 30, tzinfo=DETROIT)
        assert slot.created_by == slot_admin
        assert slot.is_one_off

    def test_one_off_slot_in_the_past_is_refused(self, client, slot_admin, support_team):
        client.force_login(slot_admin)
        response = client.post(
            reverse("scheduling:slot_create"),
            {
                "team": support_team.pk,
                "date": "2026-11-20",
                "start_time": "09:00",
                "duration_minutes": 60,
                "capacity": 1,
            },
        )
        assert response.status_code == 200
        assert "must start in the future" in response.content.decode()

    def test_delete_booked_slot_needs_explicit_cancel(self, client, slot_admin):
        slot = ScheduleSlotFactory()
        booking = booking_create(slot_id=slot.pk, booked_object=SupportTeamFactory())
        client.force_login(slot_admin)
        url = reverse("scheduling:slot_delete", args=[slot.pk])
        response = client.post(url, follow=True)
        assert "1 active booking" in response.content.decode()
        slot.refresh_from_db()
        assert slot.deleted_at is None
        detail = client.get(reverse("scheduling:slot_detail", args=[slot.pk])).content.decode()
        assert "Delete slot and cancel 1 booking" in detail
        client.post(url, {"cancel_bookings": "1"})
        slot.refresh_from_db()
        booking.refresh_from_db()
        assert slot.deleted_at is not None
        assert booking.cancelled_at is not None
        assert client.get(reverse("scheduling:slot_detail", args=[slot.pk])).status_code == 404


class TestPreferences:
    def test_list_add_edit_deactivate(
        self, client, slot_admin, support_team, django_assert_num_queries
    ):
        client.force_login(slot_admin)
        response = client.post(
            reverse("scheduling:preference_create"),
            {
                "team": support_team.pk,
                "weekday": 2,
                "start_time": "11:00",
                "duration_minutes": 90,
                "capacity": 3,
                "location_note": "Main office",
                "active": "on",
            },
        )
        assert response.status_code == 302
        pref = ScheduleSlotPreference.objects.get()
        assert (pref.weekday, pref.start_time, pref.capacity) == (2, dt.time(11), 3)

        data = {
            "team": support_team.pk,
            "weekday": 2,
            "start_time": "14:00",
            "duration_minutes": 60,
            "capacity": 2,
            "location_note": "",
            "active": "on",
        }
        client.post(reverse("scheduling:preference_edit", args=[pref.pk]), data)
        pref.refresh_from_db()
        assert pref.start_time == dt.time(14)

        client.post(reverse("scheduling:preference_deactivate", args=[pref.pk]))
        pref.refresh_from_db()
        assert pref.active is False

        for _ in range(30):
            ScheduleSlotPreferenceFactory(team=SupportTeamFactory())
        with django_assert_num_queries(4):
            response = client.get(reverse("scheduling:preference_list"))
        assert "Inactive" in response.content.decode()

    def test_empty_state(self, client, slot_admin):
        client.force_login(slot_admin)
        response = client.get(reverse("scheduling:preference_list"))
        assert "No slot preferences yet" in response.content.decode()

    def test_invalid_capacity_is_shown(self, client, slot_admin, support_team):
        client.force_login(slot_admin)
        response = client.post(
            reverse("scheduling:preference_create"),
            {
                "team": support_team.pk,
                "weekday": 0,
                "start_time": "09:00",
                "duration_minutes": 60,
                "capacity": 0,
            },
        )
        assert response.status_code == 200
        assert not ScheduleSlotPreference.objects.exists()


def feed_urls(page: str) -> list[str]:
    return re.findall(r'href="(http://testserver/scheduling/feeds/[^"]+)"', page)


class TestFeeds:
    def test_no_feed_until_asked_for_then_links_shown_once(self, client, manager, support_team):
        make_slots(support_team, 2)
        client.force_login(manager)
        page = client.get(reverse("scheduling:calendar")).content.decode()
        assert "Create my calendar feed" in page
        assert not CalendarFeedToken.objects.exists()  # GET makes nothing

        created = client.post(reverse("scheduling:feed_create"))
        assert created["Cache-Control"] == "no-store"
        urls = feed_urls(created.content.decode())
        assert len(urls) == 2
        token = urls[0].split("/")[-2]
        assert len(token) >= 43  # 256 random bits, URL-safe
        row = CalendarFeedToken.objects.get(user=manager)
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in client.get(reverse("scheduling:calendar")).content.decode()

        client.logout()  # calendar apps do not sign in
        response = client.get(urls[1].removeprefix("http://testserver"))
        assert response["Content-Type"].startswith("text/calendar")
        events = Calendar.from_ical(response.content).walk("VEVENT")
        assert len(events) == 2
        assert str(events[0]["summary"]) == f"{support_team.name}: 0/2 booked"
        assert client.get(urls[0].removeprefix("http://testserver")).status_code == 200

    def test_new_links_or_turning_off_cut_off_the_old(self, client, manager):
        client.force_login(manager)
        old = feed_urls(client.post(reverse("scheduling:feed_create")).content.decode())[0]
        new = feed_urls(client.post(reverse("scheduling:feed_create")).content.decode())[0]
        client.logout()
        assert client.get(old.removeprefix("http://testserver")).status_code == 404
        assert client.get(new.removeprefix("http://testserver")).status_code == 200
        client.force_login(manager)
        client.post(reverse("scheduling:feed_revoke"))
        client.logout()
        assert client.get(new.removeprefix("http://testserver")).status_code == 404

    def test_token_of_someone_without_the_role_is_refused(self, client, coordinator):
        token = calendar_feed_create(user=coordinator)
        assert client.get(reverse("scheduling:feed_all", args=[token])).status_code == 404

    def test_guessing_feed_links_is_rate_limited(self, client, manager):
        token = calendar_feed_create(user=manager)
        statuses = [
            client.get(reverse("scheduling:feed_all", args=[f"{n:03d}guess"])).status_code
            for n in range(FAILURES_PER_MINUTE + 1)
        ]
        assert statuses[:-1] == [404] * FAILURES_PER_MINUTE
        assert statuses[-1] == 429
        # The owner's live link still works from the same address.
        assert client.get(reverse("scheduling:feed_all", args=[token])).status_code == 200


def test_free_capacity_selector_runs_one_query(django_assert_num_queries):
    teams = [SupportTeamFactory() for _ in range(3)]
    for team in teams[:2]:
        make_slots(team, 25)
    booking_create(
        slot_id=ScheduleSlot.objects.filter(team=teams[0]).first().pk,
        booked_object=SupportTeamFactory(),
    )
    start = dt.datetime(2026, 11, 23, tzinfo=DETROIT)
    end = start + dt.timedelta(days=7)
    with django_assert_num_queries(1):
        result = free_capacity_by_team(team_ids=[t.pk for t in teams], start=start, end=end)
    assert result == {teams[0].pk: 49, teams[1].pk: 50, teams[2].pk: 0}


def test_app_root_redirects_to_the_calendar_keeping_the_query(client, manager):
    client.force_login(manager)
    response = client.get("/scheduling/?view=month")
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:calendar") + "?view=month"


@pytest.mark.parametrize("slot_count", [2, 60])
def test_calendar_selectors_run_one_query(django_assert_num_queries, slot_count):
    from scheduling.calendar import business_calendar
    from scheduling.selectors import calendar_month, calendar_week

    team = SupportTeamFactory()
    make_slots(team, slot_count)
    business_calendar()  # closure days are loaded once per process, not per call
    with django_assert_num_queries(1):
        week = calendar_week(day=MONDAY)
    with django_assert_num_queries(1):
        month = calendar_month(year=2026, month=11)
    assert sum(len(d.slots) for d in week) == slot_count
    assert sum(len(d.slots) for w in month for d in w) == slot_count
    with django_assert_num_queries(0):
        assert week[1].slots[0].team.name == team.name  # team came with the slot query


def test_slot_detail_lists_bookings_in_fixed_queries(client, manager, django_assert_num_queries):
    slot = ScheduleSlotFactory(capacity=6)
    client.force_login(manager)
    client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
    booking_create(slot_id=slot.pk, booked_object=SupportTeamFactory(name="First booked"))
    url = reverse("scheduling:slot_detail", args=[slot.pk])
    with django_assert_num_queries(5):
        client.get(url)
    for i in range(5):
        booking_create(slot_id=slot.pk, booked_object=SupportTeamFactory(name=f"Booked {i}"))
    with django_assert_num_queries(5):
        response = client.get(url)
    content = response.content.decode()
    assert "First booked" in content
    assert "Booked 4" in content
    assert "0 free" in content


@pytest.mark.parametrize(
    ("now", "monday"),
    [("2026-11-21 10:00", "2026-11-23"), ("2026-11-25 10:00", "2026-11-23")],
)
def test_week_view_opens_on_the_coming_week_at_the_weekend(client, make_user, now, monday):
    client.force_login(make_user(Role.REFRESH_MANAGER))
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=ZoneInfo("America/Detroit"))
    with time_machine.travel(moment, tick=False):
        response = client.get(reverse("scheduling:calendar"))
    assert str(response.context["days"][0].date) == monday


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_dates_out_of_range_are_clamped_not_a_500(client, manager, date, view):
    client.force_login(manager)
    response = client.get(reverse("scheduling:calendar"), {"view": view, "date": date})
    assert response.status_code == 200
    page = response.content.decode()
    assert ("2100" in page) if date > "2000" else ("1900" in page)


def test_the_calendar_team_filter_uses_the_teams_it_is_given(django_assert_num_queries):
    from scheduling.forms import CalendarFilterForm
    from scheduling.selectors import support_teams_all

    beta, alpha = SupportTeamFactory(name="Beta"), SupportTeamFactory(name="Alpha & co")
    teams = list(support_teams_all())
    with django_assert_num_queries(0):
        chosen = CalendarFilterForm({"team": str(beta.pk)}, teams=teams)
        assert chosen.is_valid()
        select = str(chosen["team"])
        unknown = CalendarFilterForm({"team": "99999"}, teams=teams)
        assert not unknown.is_valid()
    assert chosen.cleaned_data["team"] == beta
    assert select.index('<option value="">All teams</option>') < select.index(
        f'<option value="{alpha.pk}">Alpha &amp; co</option>'
    )
    assert f'<option value="{beta.pk}" selected>Beta</option>' in select
    assert unknown.errors["team"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
