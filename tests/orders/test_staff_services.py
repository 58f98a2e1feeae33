"""Services of the staff order manager: rules the pages rely on."""

import pytest
from django.core.exceptions import ValidationError

from orders.exceptions import OrderError, OrderPermissionDenied
from orders.models import OrderAudit, OrderSubscription
from orders.selectors import (
    organizations_search,
    staff_follow_ups_for,
    staff_order_get,
    staff_orders,
)
from orders.services import order_cancel
from orders.services.messages import order_message_post
from orders.services.staff import (
    order_details_update,
    order_itsm_ticket_add,
    order_organization_associate,
    order_subscribe,
    order_unsubscribe,
)
from tests.accounts.factories import OrganizationFactory

from .staff_helpers import submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit)


def _details(order, actor, **changes):
    values = {
        "requested_completion_date": order.requested_completion_date,
        "planned_completion_date": order.planned_completion_date,
        "owner": order.owner,
        "priority": order.priority,
    }
    values.update(changes)
    return order_details_update(order=order, actor=actor, **values)


def test_selectors_deny_everyone_but_orders_staff(coordinator, order):
    assert not staff_orders(user=coordinator).exists()
    assert staff_order_get(user=coordinator, number=order.number) is None
    assert organizations_search(user=coordinator, query="Organization") == []
    assert staff_follow_ups_for(user=coordinator) == []


def test_coordinators_cannot_call_the_staff_services(coordinator, order):
    with pytest.raises(OrderPermissionDenied):
        _details(order, coordinator, priority="urgent")
    with pytest.raises(OrderPermissionDenied):
        order_message_post(order=order, author=coordinator, kind="internal_comment", body="x")
    with pytest.raises(OrderPermissionDenied):
        order_subscribe(order=order, user=coordinator)
    with pytest.raises(OrderPermissionDenied):
        order_itsm_ticket_add(order=order, actor=coordinator, itsm_id="TDX-9")


def test_nothing_changed_writes_no_audit(technician, order):
    before = OrderAudit.objects.filter(order=order).count()
    _details(order, technician)
    assert OrderAudit.objects.filter(order=order).count() == before


def test_final_orders_keep_their_details_and_organization(manager, order):
    order_cancel(order=order, actor=manager, note="Duplicate.")
    order.refresh_from_db()
    with pytest.raises(OrderError, match="cancelled; its details are final"):
        _details(order, manager, priority="high")
    with pytest.raises(OrderError, match="stays with its organization"):
        order_organization_associate(order=order, actor=manager, organization=OrganizationFactory())
    # Only internal notes on a cancelled order.
    with pytest.raises(OrderError, match="only internal notes"):
        order_message_post(order=order, author=manager, kind="reply", body="Hello")
    order_message_post(order=order, author=manager, kind="internal_comment", body="Closed out.")


def test_itsm_ticket_needs_an_id_and_is_unique_per_order(technician, order):
    with pytest.raises(ValidationError, match="Enter the ITSM ticket number"):
        order_itsm_ticket_add(order=order, actor=technician, itsm_id="  ")
    order_itsm_ticket_add(order=order, actor=technician, itsm_id="TDX-5")
    with pytest.raises(ValidationError, match="already on this order"):
        order_itsm_ticket_add(order=order, actor=technician, itsm_id="TDX-5")


def test_subscription_is_idempotent(technician, order):
    order_subscribe(order=order, user=technician)
    order_subscribe(order=order, user=technician)
    assert OrderSubscription.objects.count() == 1
    assert order_unsubscribe(order=order, user=technician) is True
    assert order_unsubscribe(order=order, user=technician) is False


def test_follow_ups_assigned_to_me(technician, manager, order):
    order_message_post(
        order=order, author=manager, kind="follow_up", body="Call HR.", assigned_to=technician
    )
    order_message_post(order=order, author=manager, kind="internal_comment", body="Note.")
    assert [m.body for m in staff_follow_ups_for(user=technician)] == ["Call HR."]
    assert staff_follow_ups_for(user=manager) == []


def test_details_update_writes_one_audit_row_with_before_and_after(technician, order):
    from orders.choices import OrderPriority

    _details(order, technician, priority=OrderPriority.HIGH)
    audit = OrderAudit.objects.get(order=order, transition="details_changed")
    assert audit.changes == {"priority": ["normal", "high"]}
    assert audit.note == "Priority: Normal → High."
    assert audit.actor == technician
    _details(order, technician, priority=OrderPriority.HIGH)  # nothing changes: no new row
    assert OrderAudit.objects.filter(order=order, transition="details_changed").count() == 1


def test_moving_an_order_to_another_organization_records_both(technician, order):
    other = OrganizationFactory(name="Other College")
    previous = str(order.organization)
    order_organization_associate(order=order, actor=technician, organization=other)
    audit = OrderAudit.objects.get(order=order, transition="organization_changed")
    assert audit.changes == {"organization": [previous, "Other College"]}
    assert audit.note == f"Client organization: {previous} → Other College."
