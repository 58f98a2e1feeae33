"""Saved views, subscriptions and the emailed reports (counted when the job runs twice)."""

import base64
import csv
import datetime as dt
import io
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from notifications.models import OutboundEmail
from notifications.rendering import links_rendered
from refresh.choices import TicketStatus
from reports import services
from reports.choices import Frequency
from reports.models import MetricSnapshot, ReportSubscription, SavedView

S = TicketStatus
DETROIT = zoneinfo.ZoneInfo("America/Detroit")
pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 7, 30, tzinfo=DETROIT)
TUESDAY = dt.datetime(2026, 3, 3, 7, 30, tzinfo=DETROIT)
SATURDAY = dt.datetime(2026, 3, 7, 9, 0, tzinfo=DETROIT)


@pytest.fixture
def waiting_view(refresh_manager):
    return services.saved_view_create(
        owner=refresh_manager,
        name="Waiting for approval",
        list_name="tickets",
        query="status=pending_approval&page=3",
    )


def subscribe(view, person, *, frequency=Frequency.DAILY, at=dt.time(7, 0), actor=None):
    return services.subscription_create(
        saved_view=view,
        subscriber=person,
        frequency=frequency,
        send_time=at,
        actor=actor or view.owner,
    )


def test_saving_a_view_from_the_list_keeps_its_filters(client, refresh_manager):
    client.force_login(refresh_manager)
    url = reverse("reports:saved_view_create")
    page = client.get(url, {"list_name": "tickets", "query": "status=pending_approval"})
    assert b"Save this view of refresh tickets" in page.content
    response = client.post(
        url,
        {
            "name": "Approvals",
            "list_name": "tickets",
            "query": "status=pending_approval&page=2",
            "shared_with_role": Role.REFRESH_ADMINISTRATOR,
        },
    )
    view = SavedView.objects.get()
    assert response.url == reverse("reports:saved_view", args=[view.pk])
    assert view.query == "status=pending_approval"  # the page number is not a filter
    assert view.shared_with_role == Role.REFRESH_ADMINISTRATOR
    # A second view with the same name is refused next to the field, input kept.
    again = client.post(url, {"name": "Approvals", "list_name": "tickets", "query": ""})
    assert "already have a saved view with this name" in again.content.decode()
    assert 'value="Approvals"' in again.content.decode()


def test_private_views_stay_private_and_shared_ones_reach_the_role(client, waiting_view, make_user):
    admin = make_user(Role.REFRESH_ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("reports:saved_view", args=[waiting_view.pk])).status_code == 404
    waiting_view.shared_with_role = Role.REFRESH_ADMINISTRATOR
    waiting_view.save(update_fields=["shared_with_role"])
    assert client.get(reverse("reports:saved_view", args=[waiting_view.pk])).status_code == 200
    assert b"Waiting for approval" in client.get(reverse("reports:index")).content


def test_a_report_goes_once_per_subscriber_per_day_even_when_the_job_runs_twice(
    waiting_view, refresh_manager, make_user, make_ticket
):
    colleague = make_user(Role.REFRESH_ADMINISTRATOR)
    subscribe(waiting_view, refresh_manager)
    subscribe(waiting_view, colleague)
    tickets = [make_ticket(S.PENDING_APPROVAL) for _ in range(12)]
    make_ticket(S.PENDING_INVITE)
    with time_machine.travel(TUESDAY):
        first = services.reports_run()
        second = services.reports_run()
    assert first["sent"] == 2
    assert second["sent"] == 0
    emails = OutboundEmail.objects.filter(template="reports_report")
    assert emails.count() == 2
    assert sorted(e.to[0] for e in emails) == sorted([refresh_manager.email, colleague.email])
    email = emails.get(to=[refresh_manager.email])
    assert email.subject == "Waiting for approval: 12 refresh tickets (Mar 3)"
    # The first 10 rows in the body, every row attached.
    assert len(re.findall(r"<td>RT-\d{5}</td>", email.body_html)) == 10
    attachment = email.attachments[0]
    assert attachment["filename"] == "tickets-2026-03-03.csv"
    rows = list(csv.reader(io.StringIO(attachment["content"].lstrip("\ufeff"))))
    assert len(rows) == 13
    assert {r[0] for r in rows[1:]} == {f"RT-{t.pk:05d}" for t in tickets}
    # The same rows as Excel.
    workbook = email.attachments[1]
    assert workbook["filename"] == "tickets-2026-03-03.xlsx"
    sheet = load_workbook(io.BytesIO(base64.b64decode(workbook["content"]))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert [str(c) for c in cells[0]] == rows[0]
    assert {r[0] for r in cells[1:]} == {f"RT-{t.pk:05d}" for t in tickets}
    assert "/reports/unsubscribe/" in email.body_text
    # The next business day brings the next report.
    with time_machine.travel(TUESDAY + dt.timedelta(days=1)):
        assert services.reports_run()["sent"] == 2


def test_reports_wait_for_their_time_business_days_and_week(waiting_view, refresh_manager):
    daily = subscribe(waiting_view, refresh_manager, at=dt.time(8, 0))
    with time_machine.travel(TUESDAY):  # 07:30, before 08:00
        assert services.reports_run()["sent"] == 0
    with time_machine.travel(SATURDAY):
        assert services.reports_run()["sent"] == 0
    services.subscription_cancel(subscription=daily)
    subscribe(waiting_view, refresh_manager, frequency=Frequency.WEEKLY, at=dt.time(7, 0))
    with time_machine.travel(TUESDAY):
        assert services.reports_run()["sent"] == 0
    with time_machine.travel(MONDAY):
        assert services.reports_run()["sent"] == 1


def test_the_unsubscribe_link_asks_then_stops_the_report(client, waiting_view, refresh_manager):
    subscription = subscribe(waiting_view, refresh_manager)
    with time_machine.travel(TUESDAY):
        services.reports_run()
    body = links_rendered(OutboundEmail.objects.get(template="reports_report").body_text)
    path = re.search(r"(/reports/unsubscribe/[^/\s]+/)", body).group(1)
    with time_machine.travel(TUESDAY + dt.timedelta(hours=3)):
        page = client.get(path)
        assert b"Stop this report?" in page.content
        subscription.refresh_from_db()
        assert subscription.unsubscribed_at is None  # GET changes nothing (mail scanners)
        done = client.post(path)
        assert b"You are unsubscribed" in done.content
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    with time_machine.travel(TUESDAY + dt.timedelta(days=1)):
        assert services.reports_run()["sent"] == 0
    assert client.get("/reports/unsubscribe/not-a-token/").status_code == 410


def test_the_unsubscribe_link_of_a_deleted_view_says_so(client, waiting_view, refresh_manager):
    subscribe(waiting_view, refresh_manager)
    with time_machine.travel(TUESDAY):
        services.reports_run()
    body = links_rendered(OutboundEmail.objects.get(template="reports_report").body_text)
    path = re.search(r"(/reports/unsubscribe/[^/\s]+/)", body).group(1)
    services.saved_view_delete(saved_view=waiting_view, actor=waiting_view.owner)
    with time_machine.travel(TUESDAY + dt.timedelta(hours=3)):
        page = client.get(path)
    assert page.status_code == 410
    assert "This report no longer exists." in page.content.decode()


def test_only_people_who_see_the_list_can_be_subscribed(client, waiting_view, make_user):
    orders_person = make_user(Role.ORDERS_TECHNICIAN)
    with pytest.raises(Exception, match="cannot see the refresh tickets list"):
        subscribe(waiting_view, orders_person)
    client.force_login(waiting_view.owner)
    response = client.post(
        reverse("reports:saved_view", args=[waiting_view.pk]),
        {"subscriber": orders_person.pk, "frequency": "daily", "send_time": "07:00"},
    )
    assert "cannot see the refresh tickets list" in response.content.decode()
    assert not ReportSubscription.objects.exists()


def test_subscribing_a_colleague_from_the_page(client, waiting_view, make_user):
    colleague = make_user(Role.REFRESH_MANAGER)
    client.force_login(waiting_view.owner)
    response = client.post(
        reverse("reports:saved_view", args=[waiting_view.pk]),
        {"subscriber": colleague.pk, "frequency": "weekly", "send_time": "06:45"},
    )
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get()
    assert (subscription.subscriber, subscription.frequency) == (colleague, "weekly")
    assert subscription.send_time == dt.time(6, 45)


def test_the_job_records_the_problems_count_and_runs_from_run_job(make_ticket):
    make_ticket(S.PENDING_LOCATION_INFO)
    make_ticket(S.PENDING_LOCATION_INFO)
    call_command("run_job", "reports-run")
    assert MetricSnapshot.objects.get().value == 2
