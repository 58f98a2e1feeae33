"""Issue 12 item 6: one queue may take several order types; each type has one active queue."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orders.choices import OrderType
from orders.models import OrderQueue
from orders.services import order_create_draft, order_queue_save, order_submit

pytestmark = pytest.mark.django_db

DEACT_NOW = OrderType.DEACTIVATE_REPLACEMENT_NOW
DEACT_LATER = OrderType.DEACTIVATE_FUTURE_REPLACEMENT


def test_a_queue_taking_two_types_receives_orders_of_both(coordinator, end_user, queues, directory):
    queues[DEACT_LATER].active = False
    order_queue_save(queue=queues[DEACT_LATER])
    deactivations = queues[DEACT_NOW]
    deactivations.also_takes = [DEACT_LATER]
    order_queue_save(queue=deactivations)

    order = order_create_draft(
        order_type=DEACT_LATER,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"existing_user": end_user, "workstation": "WX14"},
    )
    order = order_submit(order=order, actor=coordinator)

    assert order.queue == deactivations
    assert deactivations.order_types_display() == (
        "Deactivate with replacement now, Deactivate with future replacement"
    )


def test_a_type_already_taken_by_another_active_queue_is_refused_with_its_name(queues):
    software = queues[OrderType.INSTALL_SOFTWARE]
    software.also_takes = [OrderType.EMAIL_ONLY]
    with pytest.raises(ValidationError) as exc:
        order_queue_save(queue=software)
    assert "Email only orders already go to the active queue “Email accounts”" in str(exc.value)
    software.refresh_from_db()
    assert software.also_takes == []

    # A new active queue whose main type is taken by another queue's "also takes".
    software.also_takes = []
    queues[OrderType.EMAIL_ONLY].active = False
    order_queue_save(queue=queues[OrderType.EMAIL_ONLY])
    software.also_takes = [OrderType.EMAIL_ONLY]
    order_queue_save(queue=software)
    with pytest.raises(ValidationError, match="already go to the active queue “Software installs”"):
        order_queue_save(queue=OrderQueue(name="Mail desk", order_type=OrderType.EMAIL_ONLY))
    # Inactive queues may name any type.
    order_queue_save(
        queue=OrderQueue(name="Mail desk", order_type=OrderType.EMAIL_ONLY, active=False)
    )


def test_the_admin_form_says_which_queue_takes_the_type(client, superuser, queues):
    client.force_login(superuser)
    software = queues[OrderType.INSTALL_SOFTWARE]
    url = reverse("admin:orders_orderqueue_change", args=[software.pk])
    data = {
        "name": software.name,
        "order_type": software.order_type,
        "also_takes": [OrderType.EMAIL_ONLY],
        "active": "on",
        "action_templates-TOTAL_FORMS": "0",
        "action_templates-INITIAL_FORMS": "0",
        "action_templates-MIN_NUM_FORMS": "0",
        "action_templates-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Email only orders already go to the active queue “Email accounts”" in (
        response.content.decode()
    )
    software.refresh_from_db()
    assert software.also_takes == []

    queues[OrderType.EMAIL_ONLY].active = False
    order_queue_save(queue=queues[OrderType.EMAIL_ONLY])
    response = client.post(url, data)
    assert response.status_code == 302
    software.refresh_from_db()
    assert software.order_types == [OrderType.INSTALL_SOFTWARE, OrderType.EMAIL_ONLY]
