"""Time logged on requests in the order desk dashboard and its export (issue 13)."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.services import time_entry_log

pytestmark = pytest.mark.django_db


def test_dashboard_shows_time_per_person_and_the_export_lists_every_entry(
    client, orders_manager, make_order, make_user
):
    order = make_order(steps=[])
    ann = make_user(Role.ORDERS_TECHNICIAN, full_name="Ann Able")
    time_entry_log(order=order, person=ann, minutes=90, note="Cabling")
    time_entry_log(order=order, person=orders_manager, minutes=15, billable=False)
    client.force_login(orders_manager)
    page = client.get(reverse("reports:orders_dashboard")).content.decode()
    assert "Time logged" in page
    assert "1 h 45 min</strong> in all, 1 h 30 min billable" in page
    assert "Ann Able" in page
    response = client.get(reverse("reports:export", args=["time", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Day", "Order", "Person", "Minutes", "Billable", "Action", "Note"]
    assert sorted((r[2], r[3], r[4]) for r in rows[1:]) == sorted(
        [("Ann Able", "90", "yes"), (orders_manager.display_name, "15", "no")]
    )


def test_time_export_is_for_orders_staff_only(client, make_user):
    client.force_login(make_user(Role.REFRESH_MANAGER))
    assert client.get(reverse("reports:export", args=["time", "csv"])).status_code == 403
