"""Asset inventories push systems: create or update one system by its serial number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from refresh.models import HardwareModel, System

# Fields an inventory may set besides the serial number (the model's own names).
UPSERT_FIELDS = (
    "name",
    "hardware_model",
    "platform",
    "status",
    "current_user",
    "organization",
    "building",
    "room",
    "street",
    "street2",
    "city",
    "state",
    "zip_code",
    "itsm_asset_id",
    "purchase_date",
    "warranty_end",
)


@dataclass(frozen=True)
class UpsertResult:
    system: System
    created: bool
    changed: tuple[str, ...]


@transaction.atomic
def system_upsert(*, serial_number: str, data: dict, actor) -> UpsertResult:
    """Create the system with ``serial_number`` or update the fields given in ``data``.

    A new system needs a hardware model (its platform is the model's unless
    given); an existing one keeps every field ``data`` leaves out. The row is
    locked so two pushes of one serial never both create. Raises
    ``ValidationError`` with field messages; nothing else happens (no email,
    no ticket).
    """
    if not actor.has_perms(["refresh.add_system", "refresh.change_system"]):
        raise ValidationError("You may not create or change systems.", code="permission_denied")
    serial = (serial_number or "").strip().upper()
    if not serial:
        raise ValidationError({"serial_number": "Enter the serial number."})
    unknown = set(data) - set(UPSERT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    system = System.objects.select_for_update().filter(serial_number=serial).first()
    created = system is None
    if created:
        model = data.get("hardware_model")
        if not isinstance(model, HardwareModel):
            raise ValidationError({"hardware_model": "A new system needs its hardware model."})
        system = System(
            serial_number=serial,
            hardware_model=model,
            platform=data.get("platform") or model.platform,
        )
    changed = []
    for name, value in data.items():
        if name == "hardware_model" and value is None:
            raise ValidationError({"hardware_model": "A system always has a hardware model."})
        if isinstance(value, str):
            value = value.strip()
        if getattr(system, name) != value:
            setattr(system, name, value)
            changed.append(name)
    _check_dates(system.purchase_date, system.warranty_end)
    system.full_clean(validate_unique=False)
    if created:
        system.save()
    elif changed:
        system.save(update_fields=[*changed, "updated_at"])
    return UpsertResult(system=system, created=created, changed=tuple(changed))


def _check_dates(purchase: dt.date | None, warranty_end: dt.date | None) -> None:
    if purchase and warranty_end and warranty_end < purchase:
        raise ValidationError({"warranty_end": "The warranty cannot end before the purchase date."})


@transaction.atomic
def systems_lifecycle_dates_set(
    *, dates: dict[int, tuple[dt.date | None, dt.date | None]]
) -> list[int]:
    """Set purchase date and warranty end of many systems: ``{system_id: (purchase, warranty)}``.

    A ``None`` keeps the stored date. Rows are locked in primary-key order and
    written in one bulk update; returns the ids of the systems written. The
    caller checks who may import (reports' importer, the API's upsert).
    """
    systems = list(System.objects.select_for_update().filter(pk__in=sorted(dates)).order_by("pk"))
    now = timezone.now()
    for system in systems:
        purchase, warranty = dates[system.pk]
        system.purchase_date = purchase or system.purchase_date
        system.warranty_end = warranty or system.warranty_end
        system.updated_at = now
    System.objects.bulk_update(
        systems, ["purchase_date", "warranty_end", "updated_at"], batch_size=1000
    )
    return [system.pk for system in systems]
