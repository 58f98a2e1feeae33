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
    # Shipped remote tickets carry tracking numbers; configs and one ticket name a group.
    tracked = RefreshTicket.objects.exclude(tracking_number="")
    assert tracked.count() == 3
    assert all(t.tracking_number.startswith("1Z") for t in tracked)
    assert RefreshTicket.objects.filter(replacement_group="Cardiology executives").count() == 1
    assert RefreshTicket.objects.filter(config__replacement_group__gt="").count() > 10
    demo.seed(out=out)
    assert RefreshTicket.objects.count() == count
