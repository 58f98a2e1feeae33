import io

import pytest

from refresh.choices import TicketStatus
from refresh.models import RefreshTicket

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_every_status_and_is_idempotent():
    from accounts import demo as accounts_demo
    from refresh import demo
    from scheduling import demo as scheduling_demo

    out = io.StringIO()
    accounts_demo.seed(out=out)
    scheduling_demo.seed(out=out)
    demo.seed(out=out)
    statuses = set(RefreshTicket.objects.values_list("status", flat=True))
    assert statuses == set(TicketStatus.values)
    count = RefreshTicket.objects.count()
    demo.seed(out=out)
    assert RefreshTicket.objects.count() == count
