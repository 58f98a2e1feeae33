"""Staff calendar pages: the week and month views, their team filter, out-of-range
dates and fixed query counts."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from scheduling.calendar import business_calendar
from scheduling.services import booking_create, calendar_feed_create
from tests.accounts.factories import SupportTeamFactory

from .staff_pages import MONDAY, make_slots

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


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
