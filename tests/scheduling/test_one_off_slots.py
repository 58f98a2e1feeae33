"""One-off slots: closed days need an explicit opening; capacity, duration and start have
bounds (issue 11, item 3)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scheduling.models import ScheduleSlot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

DETROIT = ZoneInfo("America/Detroit")


class TestOneOffSlotRules:
    """Closed days need an explicit opening; capacity, duration and start have bounds
    (issue 11, item 3). The clock is Monday 2026-11-23 08:00 (``monday_morning``)."""

    def post(self, client, team, **fields):
        data = {
            "team": team.pk,
            "date": "2026-11-28",  # Saturday
            "start_time": "10:00",
            "duration_minutes": 60,
            "capacity": 2,
            **fields,
        }
        return client.post(reverse("scheduling:slot_create"), data)

    def test_a_weekend_slot_is_refused_unless_the_day_is_opened(
        self, client, slot_admin, support_team
    ):
        client.force_login(slot_admin)
        response = self.post(client, support_team, location_note="Gym")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Saturday, November 28 is a weekend" in page
        assert "Tick &quot;Open this closed day&quot; to add a slot on it anyway." in page
        assert 'value="Gym"' in page  # nothing typed is lost
        assert not ScheduleSlot.objects.exists()

        response = self.post(client, support_team, open_closed_day="on")
        assert response.status_code == 302
        slot = ScheduleSlot.objects.get()
        assert slot.opens_closed_day
        week = client.get(
            reverse("scheduling:calendar"), {"view": "week", "date": "2026-11-28"}
        ).content.decode()
        assert "Opened exception" in week

    def test_customers_can_book_an_opened_closure_day(self, slot_admin, support_team):
        from scheduling.selectors import slots_bookable
        from scheduling.services import closure_day_set, slot_create_one_off

        closure_day_set(date=dt.date(2026, 11, 27), name="Staff day")  # a Friday
        start = dt.datetime(2026, 11, 27, 10, tzinfo=DETROIT)
        with pytest.raises(ValidationError, match="closure day"):
            slot_create_one_off(team=support_team, start=start)
        opened = slot_create_one_off(team=support_team, start=start, open_closed_day=True)
        assert list(slots_bookable(team=support_team)) == [opened]

    def test_holiday_is_named(self, client, slot_admin, support_team):
        client.force_login(slot_admin)
        page = self.post(client, support_team, date="2026-11-26").content.decode()  # Thanksgiving
        assert "is a holiday (Thanksgiving" in page

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"capacity": 0}, "greater than or equal to 1"),
            ({"capacity": 51}, "less than or equal to 50"),
            ({"duration_minutes": 10}, "greater than or equal to 15"),
            ({"duration_minutes": 481}, "less than or equal to 480"),
            ({"start_time": "04:30"}, "between 05:00 and 18:00"),
            ({"start_time": "19:00"}, "between 05:00 and 18:00"),
            ({"capacity": 99999999999999999999}, "less than or equal to 50"),
        ],
    )
    def test_bounds_are_form_errors(self, client, slot_admin, support_team, fields, message):
        client.force_login(slot_admin)
        response = self.post(client, support_team, date="2026-11-24", **fields)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not ScheduleSlot.objects.exists()

    def test_service_bounds(self, support_team):
        from scheduling.services import slot_create_one_off

        start = dt.datetime(2026, 11, 24, 10, tzinfo=DETROIT)
        for kwargs in ({"capacity": 51}, {"duration_minutes": 481}, {"duration_minutes": 14}):
            with pytest.raises(ValidationError):
                slot_create_one_off(team=support_team, start=start, **kwargs)
