"""Exports: every staff list's rows under its filters, as CSV and XLSX, round-tripped."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from notifications.models import OutboundEmail
from orders.choices import OrderStatus
from refresh.choices import TicketStatus
from reports.exports import SPECS
from tests.reports.conftest import local_dt
from tests.scheduling.factories import ScheduleSlotFactory

S = TicketStatus
pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def export_url(list_name: str, fmt: str) -> str:
    return reverse("reports:export", args=[list_name, fmt])


def test_ticket_export_keeps_the_list_filters_and_its_column_names(
    client, refresh_manager, make_ticket
):
    waiting = make_ticket(S.PENDING_APPROVAL)
    make_ticket(S.PENDING_INVITE)
    client.force_login(refresh_manager)
    rows = read_csv(client.get(export_url("tickets", "csv"), {"status": S.PENDING_APPROVAL}))
    assert rows[0] == list(SPECS["tickets"].columns)
    assert rows[0][:2] == ["Ticket", "System"]
    assert len(rows) == 2
    ticket_row = rows[1]
    assert ticket_row[0] == f"RT-{waiting.pk:05d}"
    assert ticket_row[1] == waiting.existing_system.serial_number
    assert ticket_row[5] == "Pending approval"
    assert ticket_row[6] == "North team"


def test_ticket_export_as_excel_round_trips(client, refresh_manager, make_ticket):
    ticket = make_ticket(S.PENDING_INVITE, created=local_dt(timezone.localdate(), 9))
    client.force_login(refresh_manager)
    response = client.get(export_url("tickets", "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response)
    assert rows[0] == SPECS["tickets"].columns
    assert rows[1][0] == f"RT-{ticket.pk:05d}"
    # Dates are real spreadsheet dates in the business time zone.
    assert rows[1][9] == dt.datetime.combine(timezone.localdate(), dt.time(9, 0))


def test_order_export_follows_queue_and_status(client, orders_manager, make_order, queue):
    from orders.models import OrderQueue

    other = OrderQueue.objects.create(name="Other desk", order_type="install_software")
    kept = make_order(OrderStatus.SUBMITTED)
    make_order(OrderStatus.COMPLETED)
    make_order(OrderStatus.SUBMITTED, queue=other)
    client.force_login(orders_manager)
    rows = read_csv(
        client.get(export_url("orders", "csv"), {"queue": queue.pk, "status": "submitted"})
    )
    assert rows[0] == [
        "Order",
        "Type",
        "Status",
        "Waiting on",
        "Organization",
        "About",
        "Owner",
        "Priority",
        "Planned",
    ]
    assert [r[0] for r in rows[1:]] == [str(kept.number)]
    assert rows[1][5] == kept.new_full_name


def test_batch_slot_and_outbox_exports(client, make_user, team, config):
    from refresh.models import RefreshBatch

    person = make_user(Role.REFRESH_ADMINISTRATOR)
    RefreshBatch.objects.create(name="Spring lab", config=config, serials_text="A\nB")
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    ScheduleSlotFactory(team=team, start=local_dt(monday, 9), capacity=3, booked_count=1)
    ScheduleSlotFactory(team=team, start=local_dt(monday + dt.timedelta(days=7), 9))
    OutboundEmail.objects.create(key="k1", template="t", to=["a@example.edu"], subject="Hello")
    client.force_login(person)

    batches = read_csv(client.get(export_url("batches", "csv")))
    assert batches[1][:2] == ["Spring lab", "Campaign A"]
    assert batches[1][4] == "Not created yet"

    slots = read_csv(client.get(export_url("slots", "csv"), {"date": monday.isoformat()}))
    assert slots[0] == ["Start", "End", "Team", "Capacity", "Booked", "Free", "Location"]
    assert len(slots) == 2  # this week only
    assert slots[1][2:6] == ["North team", "3", "1", "2"]

    outbox = read_xlsx(client.get(export_url("outbox", "xlsx"), {"q": "Hello"}))
    assert outbox[1][:2] == ("Hello", "a@example.edu")


def test_exports_are_denied_to_people_without_the_list(client, make_user, make_ticket):
    make_ticket()
    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    assert client.get(export_url("tickets", "csv")).status_code == 403
    assert client.get(export_url("nothing", "csv")).status_code == 404
    assert client.get(export_url("tickets", "pdf")).status_code == 404
    client.logout()
    assert client.get(export_url("tickets", "csv")).status_code == 302


@pytest.mark.parametrize("tickets", [2, 7])
def test_ticket_export_runs_a_fixed_number_of_queries(
    client, refresh_manager, make_ticket, tickets, django_assert_num_queries
):
    for _ in range(tickets):
        make_ticket()
    client.force_login(refresh_manager)
    read_csv(client.get(export_url("tickets", "csv")))
    # session, user, the filter form's team/config/batch choices, and the rows
    # (one query, read in chunks); the person's roles are cached
    with django_assert_num_queries(6):
        rows = read_csv(client.get(export_url("tickets", "csv")))
    assert len(rows) == tickets + 1


def test_list_pages_link_their_export_with_the_current_filters(client, refresh_admin):
    client.force_login(refresh_admin)
    html = client.get(reverse("refresh:ticket_list"), {"status": "pending_invite"}).content
    assert b"/reports/export/tickets.csv?status=pending_invite" in html
    assert b"/reports/export/tickets.xlsx?status=pending_invite" in html
    html = client.get(reverse("refresh:batch_list")).content
    assert b"/reports/export/batches.csv" in html
    html = client.get(reverse("scheduling:calendar"), {"date": "2026-03-04"}).content
    assert b"/reports/export/slots.csv?view=week&amp;date=2026-03-04" in html


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted(client, make_user):
    OutboundEmail.objects.create(
        key="k2", template="t", to=["b@example.edu"], subject='=HYPERLINK("http://x")'
    )
    client.force_login(make_user(Role.ORDERS_MANAGER))
    rows = read_csv(client.get(export_url("outbox", "csv")))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    sheet = read_xlsx(client.get(export_url("outbox", "xlsx")))
    assert sheet[1][0] == '\'=HYPERLINK("http://x")'
