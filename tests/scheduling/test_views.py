"""Staff pages: permissions, slots, preferences, feeds (the calendar: test_calendar_views.py)."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from notifications.links import FAILURES_PER_MINUTE
from scheduling.models import CalendarFeedToken, ScheduleSlot, ScheduleSlotPreference
from scheduling.selectors import free_capacity_by_team
from scheduling.services import booking_create, calendar_feed_create
from tests.accounts.factories import SupportTeamFactory

from .factories import ScheduleSlotFactory, ScheduleSlotPreferenceFactory
from .staff_pages import DETROIT, make_slots

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


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
