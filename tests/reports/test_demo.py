import io

import pytest

from refresh.models import System
from reports.models import LifecyclePolicy, ReportSubscription, SavedView

pytestmark = pytest.mark.django_db


def test_demo_seed_dates_systems_and_saves_a_subscribed_view_once():
    from accounts import demo as accounts_demo
    from refresh import demo as refresh_demo
    from reports import demo
    from reports.forecast import forecast
    from scheduling import demo as scheduling_demo

    out = io.StringIO()
    accounts_demo.seed(out=out)
    scheduling_demo.seed(out=out)
    refresh_demo.seed(out=out)
    lines = demo.seed(out=out)
    assert "Reports: /reports/" in lines[0]
    in_use = System.objects.filter(status="in_use")
    assert in_use.exists()
    assert not in_use.filter(purchase_date__isnull=True).exists()
    assert LifecyclePolicy.objects.count() == 2
    assert ReportSubscription.objects.filter(saved_view__name="Waiting for approval").count() == 1
    assert sum(forecast(group="platform").totals) + forecast(group="platform").overdue_total > 0
    demo.seed(out=out)
    assert SavedView.objects.count() == 1
    assert ReportSubscription.objects.count() == 1
