"""Completion dates stay between today and two years ahead; notes and messages have limits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from orders.choices import OrderType
from orders.models import Order, OrderAudit
from orders.services import COMPLETION_DATE_MAX_DAYS, order_create_draft, order_update_draft

from .staff_helpers import draft_email_order, submitted_email_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _draft(coordinator, when):
    return order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"new_full_name": "Nia New", "requested_completion_date": when},
    )


def test_requested_date_between_today_and_two_years(coordinator):
    with pytest.raises(ValidationError, match="or a later date") as exc:
        _draft(coordinator, TODAY() - dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"requested_completion_date"}
    with pytest.raises(ValidationError, match="within two years"):
        _draft(coordinator, TODAY() + dt.timedelta(days=COMPLETION_DATE_MAX_DAYS + 1))
    assert not Order.objects.exists()
    assert _draft(coordinator, TODAY()).requested_completion_date == TODAY()
    last = TODAY() + dt.timedelta(days=COMPLETION_DATE_MAX_DAYS)
    assert _draft(coordinator, last).requested_completion_date == last


def test_a_draft_keeps_a_date_that_has_since_passed(coordinator):
    order = draft_email_order(coordinator=coordinator)
    past = TODAY() - dt.timedelta(days=5)
    Order.objects.filter(pk=order.pk).update(requested_completion_date=past)
    order.refresh_from_db()
    # Editing another field keeps the old date; changing the date checks it.
    order_update_draft(
        order=order,
        actor=coordinator,
        data={"notes": "Desk 4", "requested_completion_date": past},
    )
    with pytest.raises(ValidationError, match="or a later date"):
        order_update_draft(
            order=order,
            actor=coordinator,
            data={"requested_completion_date": past - dt.timedelta(days=1)},
        )


def test_portal_form_says_why_and_offers_only_valid_dates(coordinator_client):
    url = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    page = coordinator_client.get(url).content.decode()
    assert f'min="{TODAY().isoformat()}"' in page
    latest = TODAY() + dt.timedelta(days=COMPLETION_DATE_MAX_DAYS)
    assert f'max="{latest.isoformat()}"' in page

    response = coordinator_client.post(
        url,
        {
            "new_full_name": "Nia New",
            "requested_completion_date": (TODAY() - dt.timedelta(days=1)).isoformat(),
            "intent": "save",
        },
    )
    assert response.status_code == 200
    assert "or a later date" in response.content.decode()
    assert 'value="Nia New"' in response.content.decode()  # nothing lost
    assert not Order.objects.exists()


def test_staff_planned_date_is_checked_and_nothing_changes(
    client, make_user, coordinator, queues, directory, commit
):
    from accounts.roles import Role

    order = submitted_email_order(coordinator=coordinator, commit=commit)
    manager = make_user(Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN, is_staff=True)
    client.force_login(manager)
    audits = OrderAudit.objects.filter(order=order).count()
    response = client.post(
        reverse("orders:staff_details", args=[order.number]),
        {
            "planned_completion_date": TODAY() + dt.timedelta(days=COMPLETION_DATE_MAX_DAYS + 30),
            "priority": "normal",
        },
    )
    assert response.status_code == 200
    assert "within two years" in response.content.decode()
    order.refresh_from_db()
    assert order.planned_completion_date is None
    assert OrderAudit.objects.filter(order=order).count() == audits
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert 'maxlength="10000"' in page  # the staff message box


def test_notes_and_messages_have_limits_the_page_shows(coordinator_client, coordinator):
    url = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    page = coordinator_client.get(url).content.decode()
    assert 'maxlength="2000"' in page  # the notes' limit; app.js counts down to it
    response = coordinator_client.post(
        url, {"new_full_name": "Nia New", "notes": "x" * 2001, "intent": "save"}
    )
    assert "Ensure this value has at most 2000 characters (it has 2001)." in (
        response.content.decode()
    )
    assert not Order.objects.exists()
    order = draft_email_order(coordinator=coordinator)
    Order.objects.filter(pk=order.pk).update(status="submitted")
    detail = coordinator_client.get(reverse("orders:portal_detail", args=[order.number]))
    assert 'maxlength="10000"' in detail.content.decode()  # the reply box
