"""Reports pages: the index of saved views, the two dashboards, a saved view, the
end-of-life forecast."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.query_pages import orders, refresh
from tests.query_pages.base import Page, url


def _saved_view(ctx, name):
    from reports import services

    return services.saved_view_create(
        owner=ctx["user"], name=name, list_name="tickets", query="status=pending_invite"
    )


def _saved_views(ctx, n):
    """Views the person owns, each with their own subscription."""
    from reports import services
    from reports.choices import Frequency

    start = ctx.setdefault("views", 0)
    for i in range(start, start + n):
        services.subscription_create(
            saved_view=_saved_view(ctx, f"View {i}"),
            subscriber=ctx["user"],
            frequency=Frequency.DAILY,
            send_time=dt.time(7, 0),
            actor=ctx["user"],
        )
    ctx["views"] = start + n


def _saved_view_page(ctx):
    ctx["view"] = _saved_view(ctx, "Waiting for invites")
    return reverse("reports:saved_view", args=[ctx["view"].pk])


def _subscribers(ctx, n):
    """Other refresh managers subscribed to the view."""
    from reports import services
    from reports.choices import Frequency

    for _ in range(n):
        services.subscription_create(
            saved_view=ctx["view"],
            subscriber=UserFactory(roles=[Role.REFRESH_MANAGER], is_staff=True),
            frequency=Frequency.WEEKLY,
            send_time=dt.time(8, 0),
            actor=ctx["user"],
        )


def _tickets_of_new_configs(ctx, n):
    """Tickets each of a new config and team: the dashboard's filter choices grow."""
    from tests.accounts.factories import SupportTeamFactory
    from tests.refresh.factories import RefreshConfigFactory

    for _ in range(n):
        config = RefreshConfigFactory(support_team=SupportTeamFactory())
        refresh.ticket_create(ctx, config)


def _orders_dashboard(ctx):
    orders.queue_create(ctx)
    return reverse("reports:orders_dashboard")


def _end_of_life(ctx, n):
    """Systems of new organizations whose warranty ends soon (new forecast rows),
    and a lifecycle policy for each one's hardware model (the policy list)."""
    from reports.choices import LifecycleBasis
    from reports.models import LifecyclePolicy
    from tests.refresh.factories import SystemFactory

    soon = timezone.localdate() + dt.timedelta(days=100)
    for _ in range(n):
        system = SystemFactory(organization=OrganizationFactory(), warranty_end=soon)
        LifecyclePolicy.objects.create(
            hardware_model=system.hardware_model, basis=LifecycleBasis.WARRANTY, months=48
        )


PAGES: dict[str, Page] = {
    "reports:index": Page(Role.REFRESH_MANAGER, url("reports:index"), _saved_views),
    "reports:saved_view": Page(Role.REFRESH_MANAGER, _saved_view_page, _subscribers),
    "reports:refresh_dashboard": Page(
        Role.REFRESH_MANAGER, url("reports:refresh_dashboard"), _tickets_of_new_configs, cold=True
    ),
    "reports:orders_dashboard": Page(
        Role.ORDERS_MANAGER, _orders_dashboard, orders.queued_orders_create, cold=True
    ),
    "reports:forecast": Page(
        Role.REFRESH_MANAGER, url("reports:forecast", "group=organization"), _end_of_life
    ),
}
