"""Demo catalog, people, systems and configs (fixed keys: idempotent)."""

from __future__ import annotations

from accounts.models import SupportTeam, User
from accounts.services import user_create
from refresh import services
from refresh.choices import Platform, RefreshStyle, SystemStatus, TicketStatus
from refresh.models import (
    HardwareModel,
    Peripheral,
    PeripheralBundle,
    RefreshConfig,
    SoftwareTitle,
    System,
)

from .data import (
    BUNDLES,
    CONFIGS,
    FIRST,
    LAB_SYSTEMS,
    LAST,
    NEW_MODELS,
    OLD_MODELS,
    PERIPHERALS,
    SOFTWARE,
    STOCK_SYSTEMS,
    UNITS,
)

S = TicketStatus


def seed_catalog(orgs):
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


def seed_people_and_systems(orgs, models):
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


def seed_configs(orgs, models, bundles, peripherals, software):
    """The demo configs, created through ``config_save`` (each gets its "create" audit row)."""
    teams = {t.name: t for t in SupportTeam.objects.all()}
    approver = User.objects.filter(email="approver@med.example.edu").first()
    configs = {}
    for name, org_name, style, team, approval, options, bundle in CONFIGS:
        config = RefreshConfig.objects.filter(name=name).first()
        if config is None:
            platforms = {Platform.WINDOWS, Platform.MAC}
            config = services.config_save(
                actor=None,
                data={
                    "name": name,
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
                    "approved_models": [m for m in models.values() if m.active],
                    "approved_peripherals": list(peripherals.values()),
                    "software_catalog": [
                        s for s in software if not s.platform or s.platform in platforms
                    ],
                    "approvers": [approver] if approval and approver is not None else [],
                },
            )
        configs[style] = config
    return configs
