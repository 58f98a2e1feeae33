"""``seed`` (run by ``manage.py seed_demo``) and the printed customer links."""

from __future__ import annotations

from accounts.models import Organization
from refresh.choices import TicketStatus
from refresh.models import (
    RefreshBatch,
    RefreshTicket,
    System,
)

from .catalog import seed_catalog, seed_configs, seed_people_and_systems
from .data import BATCH_NAME, CUSTOMER_LINKS, UNITS
from .tickets import seed_tickets

S = TicketStatus


def seed(*, out) -> list[str]:
    orgs = {o.name: o for o in Organization.objects.filter(name__in=UNITS)}
    if len(orgs) < len(UNITS):
        return ["Refresh demo skipped: the demo organizations are missing."]
    models, peripherals, bundles, software = seed_catalog(orgs)
    by_org, labs, stock = seed_people_and_systems(orgs, models)
    configs = seed_configs(orgs, models, bundles, peripherals, software)
    if not RefreshBatch.objects.filter(name=BATCH_NAME).exists():
        seed_tickets(configs, by_org, labs, stock)
    total = RefreshTicket.objects.count()
    statuses = RefreshTicket.objects.order_by().values_list("status", flat=True).distinct().count()
    return [
        f"Refresh: {System.objects.count()} systems, {total} tickets in {statuses} statuses; "
        "staff pages at /refresh/ (refresh.admin@example.edu, refresh.manager@example.edu); "
        "approver: approver@med.example.edu.",
        *demo_customer_links(),
    ]


def demo_customer_links() -> list[str]:
    """Fresh personal links for a few demo customers (customers have no password).

    Each run issues new links and revokes the previous ones, as a resent email would.
    """
    from notifications.links import access_link_issue
    from refresh.selectors import ticket_customer_email

    lines = ["Customer links (what the emailed links open; printed anew on every run):"]
    for label, status, style, purpose in CUSTOMER_LINKS:
        ticket = (
            RefreshTicket.objects.select_related("user", "delegate")
            .filter(status=status, style=style)
            .order_by("pk")
            .first()
        )
        email = ticket_customer_email(ticket) if ticket else None
        if not email:
            continue
        issued = access_link_issue(target=ticket, purpose=purpose, email=email)
        lines.append(f"  {label:<34} {issued.url(f'/refresh/c/{issued.token}/')}")
    return lines
