"""Demo refresh campaign: catalog, ~200 systems with users, configs of every style,
a batch, and tickets in every status (driven through the services).

Runs after ``accounts`` (people, organizations, teams) and ``scheduling``
(generated slots). Idempotent: catalog, people, systems and configs use fixed
keys; the tickets are made once (skipped when the demo batch already has them).
"""

from __future__ import annotations

from accounts.models import Organization, SupportTeam, User
from accounts.services import user_create

from . import services
from .choices import Platform, RefreshStyle, SystemStatus, TicketStatus
from .models import (
    HardwareModel,
    Peripheral,
    PeripheralBundle,
    RefreshBatch,
    RefreshConfig,
    RefreshTicket,
    SoftwareTitle,
    System,
)

S = TicketStatus

NEW_MODELS = [
    ("Dell", "Latitude 7450", Platform.WINDOWS),
    ("Dell", "OptiPlex Micro 7020", Platform.WINDOWS),
    ("Lenovo", "ThinkPad T14 Gen 5", Platform.WINDOWS),
    ("Apple", 'MacBook Pro 14" (M4)', Platform.MAC),
    ("Apple", 'MacBook Air 13" (M3)', Platform.MAC),
    ("Apple", 'iMac 24" (M4)', Platform.MAC),
]
OLD_MODELS = [
    ("Dell", "Latitude 5490", Platform.WINDOWS),
    ("Dell", "OptiPlex 7050", Platform.WINDOWS),
    ("Apple", 'MacBook Pro 13" (2018)', Platform.MAC),
]
PERIPHERALS = [
    ("Dell 24 Monitor P2425H", "Dell", "monitor"),
    ("Dell 27 Monitor P2725H", "Dell", "monitor"),
    ("Dell Dock WD19S", "Dell", "dock"),
    ("Apple USB-C Digital AV Adapter", "Apple", "adapter"),
    ("Logitech MK270 keyboard and mouse", "Logitech", "input"),
    ("Jabra Evolve2 40 headset", "Jabra", "audio"),
]
BUNDLES = {
    "Standard desk bundle": [
        "Dell 24 Monitor P2425H",
        "Dell Dock WD19S",
        "Logitech MK270 keyboard and mouse",
    ],
    "Remote worker bundle": ["Dell 24 Monitor P2425H", "Jabra Evolve2 40 headset"],
}
SOFTWARE = [
    ("Microsoft 365 Apps", "Microsoft", ""),
    ("Adobe Acrobat Pro", "Adobe", ""),
    ("MATLAB", "MathWorks", ""),
    ("IBM SPSS Statistics", "IBM", ""),
    ("GraphPad Prism", "GraphPad", ""),
    ("EndNote", "Clarivate", ""),
    ("Zoom Workplace", "Zoom", ""),
    ("SolidWorks", "Dassault", Platform.WINDOWS),
    ("Final Cut Pro", "Apple", Platform.MAC),
]

FIRST = [
    "Avery", "Blake", "Casey", "Dana", "Eli", "Frankie", "Gray", "Harper", "Indy", "Jules",
    "Kai", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Toby",
]  # fmt: skip
LAST = [
    "Nguyen", "Patel", "Garcia", "Kim", "Okafor", "Schmidt", "Rossi", "Haddad", "Larsen",
    "Silva",
]  # fmt: skip

# organization name -> (email domain, people, hostname prefix, buildings)
UNITS = {
    "School of Medicine": (
        "med.example.edu",
        80,
        "MED",
        ["Medical Science I", "Medical Science II", "Taubman Center"],
    ),
    "Cardiology": ("cardio.med.example.edu", 50, "CAR", ["Cardiovascular Center"]),
    "College of Engineering": (
        "engin.example.edu",
        50,
        "ENG",
        ["EECS Building", "Beyster Building", "GG Brown Lab"],
    ),
}
LAB_SYSTEMS = 20
STOCK_SYSTEMS = 40

CONFIGS = [
    # name, organization, style, team, approval, options, bundle
    (
        "Medicine 2026 desktop refresh",
        "School of Medicine",
        RefreshStyle.ON_PREM,
        "Desktop Support North",
        True,
        {"can_customize_computer": True, "can_customize_peripherals": True,
         "can_customize_software": True},
        "Standard desk bundle",
    ),
    (
        "Cardiology remote clinicians",
        "Cardiology",
        RefreshStyle.REMOTE,
        "Desktop Support South",
        False,
        {"can_customize_platform": True, "can_request_different_device": True},
        "Remote worker bundle",
    ),
    (
        "Engineering faculty (unit delivers)",
        "College of Engineering",
        RefreshStyle.USER_SPECIFIED_LOCATION,
        "Desktop Support South",
        False,
        {"can_customize_computer": True, "can_customize_software": True},
        "Standard desk bundle",
    ),
    (
        "Engineering teaching labs",
        "College of Engineering",
        RefreshStyle.NO_CUSTOMER,
        "Desktop Support North",
        False,
        {},
        "Standard desk bundle",
    ),
    (
        "Medicine loaner bump-down",
        "School of Medicine",
        RefreshStyle.BUMP_DOWN,
        "Desktop Support North",
        False,
        {},
        "",
    ),
]  # fmt: skip

BATCH_NAME = "Medicine fall wave"


def _catalog(orgs):
    models = {}
    for manufacturer, name, platform in NEW_MODELS + OLD_MODELS:
        model, _ = HardwareModel.objects.get_or_create(
            manufacturer=manufacturer,
            name=name,
            defaults={"platform": platform, "active": (manufacturer, name, platform) in NEW_MODELS},
        )
        if model.active:
            model.approved_for.add(*orgs.values())
        models[name] = model
    peripherals = {}
    for name, manufacturer, kind in PERIPHERALS:
        peripherals[name], _ = Peripheral.objects.get_or_create(
            name=name, defaults={"manufacturer": manufacturer, "kind": kind}
        )
    bundles = {}
    for name, members in BUNDLES.items():
        bundles[name], _ = PeripheralBundle.objects.get_or_create(name=name)
        bundles[name].peripherals.add(*[peripherals[m] for m in members])
    software = []
    for name, vendor, platform in SOFTWARE:
        title, _ = SoftwareTitle.objects.get_or_create(
            name=name, platform=platform, defaults={"vendor": vendor}
        )
        software.append(title)
    return models, peripherals, bundles, software


def _people_and_systems(orgs, models):
    old_win = [models["Latitude 5490"], models["OptiPlex 7050"]]
    old_mac = models['MacBook Pro 13" (2018)']
    by_org: dict[str, list[System]] = {}
    index = 0
    for org_name, (domain, count, prefix, buildings) in UNITS.items():
        org = orgs[org_name]
        by_org[org_name] = []
        for n in range(count):
            first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST) + index) % len(LAST)]
            email = f"{first.lower()}.{last.lower()}{n}@{domain}"
            user = User.objects.filter(email=email).first() or user_create(
                email=email, full_name=f"{first} {last}", organization=org
            )
            mac = n % 5 == 0
            model = old_mac if mac else old_win[n % 2]
            system, _ = System.objects.get_or_create(
                serial_number=f"{prefix}{n + 1:05d}",
                defaults={
                    "name": f"{prefix}-{'MAC' if mac else 'WS'}-{n + 1:04d}",
                    "hardware_model": model,
                    "platform": model.platform,
                    "current_user": user,
                    "organization": org,
                    "building": buildings[n % len(buildings)],
                    "room": f"{(n % 4) + 1}{n % 30 + 10:02d}",
                    "street": "1500 E Medical Center Dr",
                    "city": "Ann Arbor",
                    "state": "MI",
                    "zip_code": "48109",
                    "itsm_asset_id": f"A-{10000 + index}",
                },
            )
            by_org[org_name].append(system)
            index += 1
    labs = []
    engineering = orgs["College of Engineering"]
    for n in range(LAB_SYSTEMS):
        system, _ = System.objects.get_or_create(
            serial_number=f"LAB{n + 1:05d}",
            defaults={
                "name": f"ENG-LAB-{n + 1:03d}",
                "hardware_model": old_win[1],
                "platform": Platform.WINDOWS,
                "organization": engineering,
                "building": "GG Brown Lab",
                "room": "1340",
                "itsm_asset_id": f"A-{20000 + n}",
            },
        )
        labs.append(system)
    stock = []
    new_models = [m for m in models.values() if m.active]
    for n in range(STOCK_SYSTEMS):
        model = new_models[n % len(new_models)]
        system, _ = System.objects.get_or_create(
            serial_number=f"NEW{n + 1:05d}",
            defaults={
                "hardware_model": model,
                "platform": model.platform,
                "status": SystemStatus.IN_STOCK,
                "itsm_asset_id": f"A-{30000 + n}",
            },
        )
        stock.append(system)
    return by_org, labs, stock


def _configs(orgs, models, bundles, peripherals, software):
    teams = {t.name: t for t in SupportTeam.objects.all()}
    approver = User.objects.filter(email="approver@med.example.edu").first()
    configs = {}
    for name, org_name, style, team, approval, options, bundle in CONFIGS:
        config, created = RefreshConfig.objects.get_or_create(
            name=name,
            defaults={
                "organization": orgs[org_name],
                "style": style,
                "support_team": teams.get(team),
                "requires_approval": approval and approver is not None,
                "peripheral_bundle": bundles.get(bundle),
                "unit_specified_location": (
                    "Deliver to the EECS help desk, room 2420; the unit places it."
                    if style == RefreshStyle.USER_SPECIFIED_LOCATION
                    else ""
                ),
                "customer_message": "Your computer is due for replacement. "
                "Tell us where it goes and what you need.",
                **options,
            },
        )
        if created:
            platforms = {Platform.WINDOWS, Platform.MAC}
            config.approved_models.set([m for m in models.values() if m.active])
            config.approved_peripherals.set(peripherals.values())
            config.software_catalog.set(
                [s for s in software if not s.platform or s.platform in platforms]
            )
            if approval and approver is not None:
                config.approvers.add(approver)
        configs[style] = config
    return configs


def _take(stock):
    return stock.pop(0)


def _tickets(configs, by_org, labs, stock):
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
        ["invite", "wizard", "order", "found"],
        ["invite", "wizard", "order", "found", "installed"],
        ["invite", "wizard", "order", "found", "installed", "complete"],
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


def seed(*, out) -> list[str]:
    orgs = {o.name: o for o in Organization.objects.filter(name__in=UNITS)}
    if len(orgs) < len(UNITS):
        return ["Refresh demo skipped: the demo organizations are missing."]
    models, peripherals, bundles, software = _catalog(orgs)
    by_org, labs, stock = _people_and_systems(orgs, models)
    configs = _configs(orgs, models, bundles, peripherals, software)
    if not RefreshBatch.objects.filter(name=BATCH_NAME).exists():
        _tickets(configs, by_org, labs, stock)
    total = RefreshTicket.objects.count()
    statuses = RefreshTicket.objects.order_by().values_list("status", flat=True).distinct().count()
    return [
        f"Refresh: {System.objects.count()} systems, {total} tickets in {statuses} statuses; "
        "staff pages at /refresh/ (refresh.admin@example.edu, refresh.manager@example.edu); "
        "approver: approver@med.example.edu.",
        *demo_customer_links(),
    ]


# Which demo tickets get a printed customer link: (label, status, style, purpose).
_LINKS = [
    ("wizard, on premises", TicketStatus.PENDING_CUSTOMER, RefreshStyle.ON_PREM, "refresh_wizard"),
    (
        "wizard, remote (@home)",
        TicketStatus.PENDING_CUSTOMER,
        RefreshStyle.REMOTE,
        "refresh_wizard",
    ),
    (
        "wizard, user-specified location",
        TicketStatus.PENDING_CUSTOMER,
        RefreshStyle.USER_SPECIFIED_LOCATION,
        "refresh_wizard",
    ),
    (
        "pick a day-1 slot",
        TicketStatus.PENDING_CUSTOMER_SCHEDULING,
        RefreshStyle.ON_PREM,
        "refresh_pick_slot",
    ),
    (
        "change a booked slot",
        TicketStatus.DELIVERY_SCHEDULED,
        RefreshStyle.ON_PREM,
        "refresh_reschedule",
    ),
]


def demo_customer_links() -> list[str]:
    """Fresh personal links for a few demo customers (customers have no password).

    Each run issues new links and revokes the previous ones, as a resent email would.
    """
    from notifications.links import access_link_issue
    from refresh.selectors import ticket_customer_email

    lines = ["Customer links (what the emailed links open; printed anew on every run):"]
    for label, status, style, purpose in _LINKS:
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
