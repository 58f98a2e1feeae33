"""The fast list pages (``api.listing``) answer exactly what the serializers give."""

import pytest

from api.orders import OrderSerializer
from api.refresh import SystemSerializer, TicketSerializer
from orders.models import Order
from refresh.models import RefreshTicket, System
from refresh.services import ticket_assign_replacement
from tests.api.conftest import key_client
from tests.orders.factories import OrderFactory
from tests.refresh.factories import StockSystemFactory, SystemFactory


@pytest.mark.parametrize(
    ("role", "url", "serializer", "objects"),
    [
        ("refresh_admin", "/api/v1/refresh/tickets/", TicketSerializer, RefreshTicket.objects),
        ("refresh_admin", "/api/v1/refresh/systems/", SystemSerializer, System.objects),
        ("orders_manager", "/api/v1/orders/", OrderSerializer, Order.objects),
        ("coordinator", "/api/v1/orders/", OrderSerializer, Order.objects),
    ],
)
def test_list_rows_equal_the_serializer(world, role, url, serializer, objects):
    # Rows with and without the optional relations (no user,
    # a replacement, an owner-less order) so every null path is shown.
    SystemFactory(current_user=None)
    ticket_assign_replacement(
        ticket=world.ticket, system=StockSystemFactory(), actor=world.people["refresh_admin"]
    )
    OrderFactory(organization=world.org, submitted_by=world.people["coordinator"])
    response = key_client(world.people[role]).get(url)
    assert response.status_code == 200
    results = response.json()["results"]
    if serializer is OrderSerializer:
        numbers = [r["number"] for r in results]
        expected = serializer(objects.filter(number__in=numbers).order_by("-id"), many=True)
    else:
        expected = serializer(
            objects.filter(pk__in=[r["id"] for r in results]).order_by("-id"), many=True
        )
    assert results, "the list is empty: nothing compared"
    assert results == expected.data
