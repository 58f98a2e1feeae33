"""Refresh staff pages: tickets, approvals, order group, batches, bulk creation, configs.

Tickets are made through the services (audit rows, users, teams, configs filled
as in real use); every ticket of a page has its own system, user and delegate,
so a query per row would show as a count that grows.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.query_pages.base import Page, url


def _config(ctx, **fields):
    from tests.refresh.factories import RefreshConfigFactory

    key = f"config:{sorted(fields.items())}"
    if key not in ctx:
        ctx[key] = RefreshConfigFactory(support_team=SupportTeamFactory(), **fields)
    return ctx[key]


def ticket_create(ctx, config):
    from refresh import services
    from tests.refresh.factories import SystemFactory

    return services.ticket_create(
        system=SystemFactory(), config=config, delegate=UserFactory(), actor=ctx["user"]
    )


def tickets_create(ctx, n):
    for _ in range(n):
        ticket_create(ctx, _config(ctx))


def _ticket_detail(ctx):
    ctx["ticket"] = ticket_create(ctx, _config(ctx))
    return reverse("refresh:ticket_detail", args=[ctx["ticket"].pk])


def _ticket_history(ctx, n):
    """Timelines grow: events, emails about the ticket, a hold and resume each."""
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import OutboundEmail
    from refresh import services
    from refresh.models import RefreshTicket

    ticket = ctx["ticket"]
    kind = ContentType.objects.get_for_model(RefreshTicket)
    for i in range(n):
        services.ticket_record_event(ticket=ticket, kind="comment", summary=f"note {i}")
        OutboundEmail.objects.create(
            key=f"ticket-{ticket.pk}-{OutboundEmail.objects.count()}",
            template="refresh_test",
            to=["a@example.edu"],
            subject=f"Your new computer {i}",
            related_type=kind,
            related_id=str(ticket.pk),
        )
        ticket = services.ticket_hold(ticket=ticket, actor=ctx["user"], note="wait")
        ticket = services.ticket_resume(ticket=ticket, actor=ctx["user"])
    ctx["ticket"] = ticket


def _awaiting_approval(ctx, n):
    """Tickets of a config the page's approver approves, through the wizard."""
    from refresh import services

    config = _config(ctx, requires_approval=True)
    config.approvers.add(ctx["user"])
    for _ in range(n):
        ticket = services.ticket_send_invite(ticket=ticket_create(ctx, config))
        services.ticket_submit_wizard(ticket=ticket, answers={})


def _awaiting_ordering(ctx, n):
    """No-customer tickets start pending_ordering: the order group's rows."""
    from refresh.choices import RefreshStyle

    config = _config(ctx, style=RefreshStyle.NO_CUSTOMER)
    for _ in range(n):
        ticket_create(ctx, config)


def systems_create(ctx, n):
    from tests.refresh.factories import SystemFactory

    for _ in range(n):
        SystemFactory(organization=ctx["org"])


def batches_create(ctx, n):
    from refresh.models import RefreshBatch
    from tests.refresh.factories import RefreshConfigFactory

    config = ctx.setdefault("config", RefreshConfigFactory())
    for i in range(n):
        RefreshBatch.objects.create(name=f"Batch {i}", config=config, serials_text="SN1")


def _batch_detail(ctx):
    from refresh.models import RefreshBatch

    ctx["batch"] = RefreshBatch.objects.create(name="Wave", config=_config(ctx), serials_text="")
    return reverse("refresh:batch_detail", args=[ctx["batch"].pk])


def _batch_rows(ctx, n):
    """Serials of the batch: known systems and one unknown serial per growth."""
    from tests.refresh.factories import SystemFactory

    batch = ctx["batch"]
    serials = [SystemFactory().serial_number for _ in range(n - 1)] + [f"NOPE{batch.pk}-{n}"]
    batch.serials_text = "\n".join([*batch.serials_text.split(), *serials])
    batch.save(update_fields=["serials_text"])


def configs_create(ctx, n):
    from tests.refresh.factories import RefreshConfigFactory

    for _ in range(n):
        RefreshConfigFactory()


def _config_detail(ctx):
    from tests.refresh.factories import RefreshConfigFactory

    ctx["config"] = RefreshConfigFactory()
    return reverse("refresh:config_detail", args=[ctx["config"].pk])


def _config_history(ctx, n):
    """Edits through the service: one audit row each, and one more approver."""
    from refresh import services

    config = ctx["config"]
    for _ in range(n):
        approvers = [*config.approvers.all(), UserFactory(roles=[Role.APPROVER])]
        data = {"name": f"{config.name}+", "organization": config.organization}
        config = services.config_save(
            actor=ctx["user"], config=config, data={**data, "approvers": approvers}
        )
    ctx["config"] = config


ADMIN, MANAGER = Role.REFRESH_ADMINISTRATOR, Role.REFRESH_MANAGER

PAGES: dict[str, Page] = {
    "refresh:ticket_list": Page(MANAGER, url("refresh:ticket_list"), tickets_create, cold=True),
    "refresh:ticket_detail": Page(MANAGER, _ticket_detail, _ticket_history),
    # Cached counts (issue 17): measured cold, the count included.
    "refresh:approval_list": Page(
        Role.APPROVER, url("refresh:approval_list"), _awaiting_approval, cold=True
    ),
    "refresh:order_group": Page(ADMIN, url("refresh:order_group"), _awaiting_ordering),
    "refresh:bulk_create": Page(ADMIN, url("refresh:bulk_create"), systems_create),
    "refresh:batch_list": Page(ADMIN, url("refresh:batch_list"), batches_create, cold=True),
    "refresh:batch_detail": Page(ADMIN, _batch_detail, _batch_rows),
    "refresh:config_list": Page(ADMIN, url("refresh:config_list"), configs_create),
    "refresh:config_detail": Page(ADMIN, _config_detail, _config_history),
}
