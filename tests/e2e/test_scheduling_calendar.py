"""What slot admins and refresh managers see on the slot calendar and preference pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from scheduling.models import ScheduleSlot, ScheduleSlotPreference
from scheduling.services import slot_create_one_off
from tests.accounts.factories import SupportTeamFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_weekday_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_slot_admin_adds_a_preference_and_deletes_a_slot(page, live_server, login):
    team = SupportTeamFactory(name="Desktop Support North")
    start = next_weekday_at(9)
    slot = slot_create_one_off(team=team, start=start, capacity=2)
    admin = UserFactory(full_name="Sam Slots", roles=[Role.SCHEDULE_SLOT_ADMIN], is_staff=True)
    login(admin)

    page.goto(f"{live_server.url}/scheduling/calendar/?date={start.date().isoformat()}")
    expect(page.get_by_role("heading", name="Slot calendar", level=1)).to_be_visible()
    expect(page.get_by_text("0/2 booked · 2 free")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Subscribe from Outlook or Google Calendar")
    ).to_be_visible()

    page.get_by_role("link", name="Slot preferences").first.click()
    expect(page.get_by_role("heading", name="Slot preferences", level=1)).to_be_visible()
    expect(page.get_by_text("No slot preferences yet")).to_be_visible()
    page.get_by_role("link", name="Add a slot preference").click()
    page.get_by_label("Support team").select_option(label="Desktop Support North")
    page.get_by_label("Weekday").select_option(label="Tuesday")
    page.get_by_label("Start time").fill("11:00")
    page.get_by_label("Capacity").fill("3")
    page.get_by_role("button", name="Add preference").click()
    expect(page.get_by_role("cell", name="Tuesday", exact=True)).to_be_visible()
    assert ScheduleSlotPreference.objects.get().capacity == 3

    page.goto(f"{live_server.url}/scheduling/calendar/?date={start.date().isoformat()}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete the Desktop Support North slot").click()
    expect(page.get_by_text("Deleted the Desktop Support North slot")).to_be_visible()
    slot.refresh_from_db()
    assert slot.deleted_at is not None


def test_refresh_manager_sees_the_month_but_no_admin_actions(page, live_server, login):
    team = SupportTeamFactory(name="Desktop Support South")
    start = next_weekday_at(13)
    slot_create_one_off(team=team, start=start, capacity=2)
    manager = UserFactory(full_name="Morgan Field", roles=[Role.REFRESH_MANAGER], is_staff=True)
    login(manager)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Slot calendar").click()
    expect(page.get_by_role("heading", name="Slot calendar", level=1)).to_be_visible()
    page.get_by_role("link", name="Month", exact=True).click()
    expect(page.get_by_role("columnheader", name="Mon")).to_be_visible()
    page.goto(f"{live_server.url}/scheduling/calendar/?view=month&date={start.date().isoformat()}")
    expect(page.get_by_text("2 free").first).to_be_visible()
    expect(page.get_by_role("link", name="Add one-off slot")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    assert ScheduleSlot.objects.count() == 1
