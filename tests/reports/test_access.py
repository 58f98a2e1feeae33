"""One table of URL × role × expected status for every reports page."""

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db

R = Role
PAGES = {
    "index": reverse("reports:index"),
    "refresh": reverse("reports:refresh_dashboard"),
    "orders": reverse("reports:orders_dashboard"),
    "forecast": reverse("reports:forecast"),
    "batch": reverse("reports:forecast_batch"),
    "policy": reverse("reports:lifecycle_policy"),
    "import": reverse("reports:systems_import"),
    "save": reverse("reports:saved_view_create") + "?list_name=tickets",
    "export_tickets": reverse("reports:export", args=["tickets", "csv"]),
    "export_orders": reverse("reports:export", args=["orders", "csv"]),
    "export_outbox": reverse("reports:export", args=["outbox", "csv"]),
}

# role -> pages answering 200 (every other page answers 403)
ALLOWED = {
    R.REFRESH_ADMINISTRATOR: {
        "index", "refresh", "forecast", "batch", "policy", "import", "save",
        "export_tickets", "export_outbox",
    },
    R.REFRESH_MANAGER: {"index", "refresh", "forecast", "save", "export_tickets", "export_outbox"},
    R.ORDERS_MANAGER: {"index", "orders", "export_orders", "export_outbox"},
    R.ORDERS_TECHNICIAN: {"index", "orders", "export_orders", "export_outbox"},
    R.SCHEDULE_SLOT_ADMIN: {"index"},
    R.COORDINATOR: set(),
    R.APPROVER: set(),
}  # fmt: skip


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("name", list(PAGES))
def test_access(client, make_user, role, name):
    client.force_login(make_user(role))
    response = client.get(PAGES[name])
    expected = 200 if name in ALLOWED[role] else 403
    assert response.status_code == expected, (role, name)


@pytest.mark.parametrize("name", list(PAGES))
def test_anonymous_people_are_sent_to_sign_in(client, name):
    response = client.get(PAGES[name])
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_nav_shows_reports_to_staff_only(client, make_user):
    client.force_login(make_user(Role.REFRESH_MANAGER))
    assert b'href="/reports/"' in client.get("/").content
    client.force_login(make_user(Role.COORDINATOR))
    assert b'href="/reports/"' not in client.get("/").content
