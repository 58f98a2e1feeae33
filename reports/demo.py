"""Demo data for reports: purchase and warranty dates on the demo systems, lifecycle
policies, a shared saved view with a daily subscription, and today's Problems count.

Idempotent: dates are only given to systems that have none; the rest is found
by name before it is created.
"""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from refresh.choices import Platform, SystemStatus
from refresh.models import System

from . import services
from .choices import Frequency, LifecycleBasis
from .models import LifecyclePolicy, ReportSubscription, SavedView

ADMIN_EMAIL = "refresh.admin@example.edu"
VIEW_NAME = "Waiting for approval"


def _system_dates(admin) -> int:
    """Spread purchase dates over five years (so every forecast quarter has systems)."""
    today = timezone.localdate()
    rows = []
    serials = (
        System.objects.filter(status=SystemStatus.IN_USE, purchase_date__isnull=True)
        .order_by("serial_number")
        .values_list("serial_number", "platform")
    )
    for n, (serial, platform) in enumerate(serials):
        bought = today - dt.timedelta(days=400 + (n * 37) % 1500)
        warranty = bought + dt.timedelta(days=3 * 365) if platform == Platform.MAC else ""
        rows.append({"serial_number": serial, "purchase_date": bought, "warranty_end": warranty})
    if not rows:
        return 0
    report = services.systems_import_preview(rows=rows)
    services.systems_lifecycle_update(actor=admin, report=report)
    return report.updates


def seed(*, out) -> list[str]:
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        return []
    _system_dates(admin)
    if not LifecyclePolicy.objects.filter(platform=Platform.WINDOWS).exists():
        services.lifecycle_policy_save(
            actor=admin, platform=Platform.WINDOWS, basis=LifecycleBasis.AGE, months=48
        )
    if not LifecyclePolicy.objects.filter(platform=Platform.MAC).exists():
        services.lifecycle_policy_save(
            actor=admin, platform=Platform.MAC, basis=LifecycleBasis.EARLIEST, months=60
        )
    view = SavedView.objects.filter(owner=admin, name=VIEW_NAME).first()
    if view is None:
        view = services.saved_view_create(
            owner=admin,
            name=VIEW_NAME,
            list_name="tickets",
            query="status=pending_approval",
            shared_with_role=Role.REFRESH_MANAGER,
        )
    if not ReportSubscription.objects.filter(saved_view=view, subscriber=admin).exists():
        services.subscription_create(
            saved_view=view,
            subscriber=admin,
            frequency=Frequency.DAILY,
            send_time=dt.time(7, 0),
            actor=admin,
        )
    services.reports_run()
    return [f"  Reports: /reports/ (saved view “{VIEW_NAME}” emailed daily to {ADMIN_EMAIL})"]
