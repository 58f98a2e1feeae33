"""Demo tickets in every status, driven through the services."""

from __future__ import annotations

from accounts.models import User
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import (
    RefreshTicket,
)

from .data import BATCH_NAME

S = TicketStatus


def _take(stock):
    return stock.pop(0)


def seed_tickets(configs, by_org, labs, stock):
    """Create the demo tickets and drive them through the services."""
    admin = User.objects.get(email="refresh.admin@example.edu")
    manager = User.objects.get(email="refresh.manager@example.edu")
    approver = User.objects.get(email="approver@med.example.edu")
    free_stock = [
        s
        for s in stock
        if not RefreshTicket.objects.filter(replacement_system=s)
        .exclude(status__in=[S.COMPLETE, S.CANCELLED])
        .exists()
    ]
    address = {
        "ship_to_name": "",
        "ship_street": "2200 Packard St",
        "ship_city": "Ann Arbor",
        "ship_state": "MI",
        "ship_zip": "48104",
    }

    def advance(ticket, steps):
        from scheduling.selectors import slots_bookable

        for step in steps:
            if step == "invite":
                ticket = services.ticket_send_invite(ticket=ticket, job="demo")
            elif step == "wizard":
                answers = {}
                if ticket.style == RefreshStyle.REMOTE:
                    answers = {**address, "ship_to_name": ticket.user.display_name}
                ticket = services.ticket_submit_wizard(
                    ticket=ticket, actor_label="customer", answers=answers
                )
            elif step == "expire":
                ticket = services.ticket_expire_wizard(ticket=ticket, job="demo")
            elif step == "approve":
                ticket = services.ticket_approve(
                    ticket=ticket, approver=approver, note="Approved for FY26."
                )
            elif step == "order":
                services.tickets_assign_replacements_bulk(
                    assignments=[(ticket, _take(free_stock))], actor=admin
                )
                ticket.refresh_from_db()
            elif step == "found":
                ticket = services.ticket_itsm_found(ticket=ticket, job="demo")
            elif step == "tracking":
                # A shipped remote replacement: UPS number, the customer emailed once.
                ticket = services.ticket_set_tracking_number(
                    ticket=ticket, tracking_number=f"1Z999AA1{ticket.pk:010d}", job="demo"
                )
            elif step == "group":
                ticket = services.ticket_set_group(
                    ticket=ticket, group="Cardiology executives", actor=None
                )
            elif step == "discover":
                ticket = services.ticket_slot_discovered(ticket=ticket, job="demo")
            elif step == "book":
                slot = slots_bookable(team=ticket.support_team).first()
                if slot is None:
                    return ticket
                ticket = services.ticket_book_slot(ticket=ticket, slot_id=slot.pk)
            elif step == "installed":
                ticket = services.ticket_mark_installed(ticket=ticket, job="demo")
            elif step == "complete":
                ticket = services.ticket_mark_complete(ticket=ticket, job="demo")
            elif step == "hold":
                ticket = services.ticket_hold(
                    ticket=ticket, actor=manager, note="Customer on leave until next month."
                )
            elif step == "cancel":
                ticket = services.ticket_cancel(
                    ticket=ticket, actor=admin, note="User left the university."
                )
            elif step == "lookup_failed":
                for _ in range(3):
                    ticket = services.ticket_itsm_lookup_failed(
                        ticket=ticket, error="Asset not found in TDX.", job="demo"
                    )
        return ticket

    med = by_org["School of Medicine"]
    # The batch: 60 Medicine systems, an unknown serial and a duplicate.
    serials = [s.serial_number for s in med[:60]] + ["MED99999", med[0].serial_number]
    batch = services.batch_create(
        name=BATCH_NAME,
        config=configs[RefreshStyle.ON_PREM],
        serials_text="\n".join(serials),
        actor=admin,
    )
    services.batch_create_tickets(batch=batch, actor=admin)
    on_prem = list(RefreshTicket.objects.filter(batch=batch).order_by("pk"))
    plans = [
        ([], 8),  # pending_invite
        (["invite"], 10),  # pending_customer
        (["invite", "expire"], 3),  # pending_location_info
        (["invite", "wizard"], 8),  # pending_approval
        (["invite", "wizard", "approve"], 6),  # pending_ordering
        (["invite", "wizard", "approve", "order"], 3),  # pending_itsm_existence
        (["invite", "wizard", "approve", "order", "lookup_failed"], 1),
        (["invite", "wizard", "approve", "order", "found"], 4),  # pending_slot_discovery
        (["invite", "wizard", "approve", "order", "found", "discover"], 4),
        (["invite", "wizard", "approve", "order", "found", "discover", "book"], 5),
        (["invite", "wizard", "approve", "order", "found", "discover", "book", "hold"], 2),
        (["invite", "wizard", "approve", "order", "found", "discover", "book", "installed"], 2),
        (["invite", "wizard", "approve", "order", "found", "discover", "book", "installed",
          "complete"], 2),
        (["invite", "cancel"], 2),
    ]  # fmt: skip
    position = 0
    for steps, count in plans:
        for ticket in on_prem[position : position + count]:
            advance(ticket, steps)
        position += count

    # Remote clinicians (Cardiology): created one by one, a delegate on one.
    remote_config = configs[RefreshStyle.REMOTE]
    remote_plans = [
        [],
        ["invite"],
        ["invite"],
        ["invite", "wizard"],
        ["invite", "wizard", "order"],
        ["invite", "wizard", "order", "found"],
        ["invite", "wizard", "order", "found", "tracking"],
        ["invite", "wizard", "group", "order", "found", "tracking", "installed"],
        ["invite", "wizard", "order", "found", "tracking", "installed", "complete"],
        ["invite", "hold"],
    ]
    coordinator = User.objects.filter(email="coordinator@cardio.med.example.edu").first()
    for n, steps in enumerate(remote_plans):
        ticket = services.ticket_create(
            system=by_org["Cardiology"][n],
            config=remote_config,
            actor=admin,
            delegate=coordinator if n == 2 else None,
        )
        advance(ticket, steps)

    # Engineering, unit-specified location.
    usl_config = configs[RefreshStyle.USER_SPECIFIED_LOCATION]
    for n, steps in enumerate(
        [[], ["invite"], ["invite", "wizard"], ["invite", "wizard", "order", "found"]]
    ):
        ticket = services.ticket_create(
            system=by_org["College of Engineering"][n], config=usl_config, actor=admin
        )
        advance(ticket, steps)

    # Teaching labs: no customer, straight to ordering; bulk creation.
    lab_config = configs[RefreshStyle.NO_CUSTOMER]
    report = services.tickets_create_for_systems(systems=labs[:12], config=lab_config, actor=admin)
    lab_tickets = [row.ticket for row in report.rows if row.ticket]
    for ticket in lab_tickets[:3]:
        advance(ticket, ["order", "found"])  # delivery_scheduled at the generic 12 AM slot
    for ticket in lab_tickets[3:5]:
        advance(ticket, ["order"])

    # Bump-down loaners: replacement named at creation.
    bump_config = configs[RefreshStyle.BUMP_DOWN]
    for n, steps in enumerate([["invite"], ["invite", "wizard"], ["invite", "wizard", "found"]]):
        ticket = services.ticket_create(
            system=med[70 + n],
            config=bump_config,
            actor=admin,
            replacement_system=_take(free_stock),
        )
        advance(ticket, steps)
