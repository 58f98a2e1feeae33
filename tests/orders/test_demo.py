import io

import pytest

from orders.choices import OrderStatus
from orders.models import Order, WorkstationPlaceholder

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_status_and_is_idempotent(directory):
    """After-commit tasks are left queued here, as in ``seed_demo`` without a worker."""
    from accounts import demo as accounts_demo
    from orders import demo

    accounts_demo.seed(out=io.StringIO())
    lines = demo.seed(out=io.StringIO())
    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses == set(OrderStatus.values)
    assert any("Completed" in line for line in lines)
    number = Order.objects.get(workstation="WX14").number
    assert WorkstationPlaceholder.objects.filter(name=f"tmp-WX14 {number}").exists()
    count = Order.objects.count()
    demo.seed(out=io.StringIO())
    assert Order.objects.count() == count
