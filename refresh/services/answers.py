"""Applying wizard / location / approver answers to a ticket, checked against its config."""

from __future__ import annotations

from collections.abc import Iterable

from refresh.choices import RefreshStyle
from refresh.exceptions import RefreshError
from refresh.models import HardwareModel, Peripheral, RefreshTicket, SoftwareTitle

# Answer keys a caller may pass, grouped by what they write.
SHIPPING_FIELDS = (
    "ship_to_name",
    "ship_street",
    "ship_street2",
    "ship_city",
    "ship_state",
    "ship_zip",
)
LOCATION_FIELDS = ("location_building", "location_room", "location_notes")
TEXT_FIELDS = ("none_fits_reason", "inadequate_reason", *SHIPPING_FIELDS, *LOCATION_FIELDS)
ANSWER_KEYS = frozenset(
    {"chosen_model", "none_fits", "peripherals", "software_requests", *TEXT_FIELDS}
)


def _ids(values: Iterable) -> set[int]:
    return {value.pk if hasattr(value, "pk") else int(value) for value in values}


def apply_answers(
    *, ticket: RefreshTicket, answers: dict, enforce_options: bool
) -> tuple[list[str], bool]:
    """Validate ``answers`` and set them on ``ticket`` (not saved).

    ``enforce_options`` applies the config's five customer options (the wizard);
    approvers and staff may pick anything the config's catalog allows.
    Returns (changed field names, location_changed). M2M answers are written
    after the caller saved: see ``apply_m2m_answers``.
    """
    unknown = set(answers) - ANSWER_KEYS
    if unknown:
        raise RefreshError(f"Unknown answers: {', '.join(sorted(unknown))}.")
    config = ticket.config
    errors: dict[str, list[str]] = {}
    changed: list[str] = []

    if "chosen_model" in answers:
        model = answers["chosen_model"]
        if model is not None and not isinstance(model, HardwareModel):
            model = HardwareModel.objects.filter(pk=model).first()
        if model is not None:
            approved = config.approved_models.filter(pk=model.pk, active=True).exists()
            proposed = ticket.proposed_model
            if not approved and (proposed is None or model.pk != proposed.pk):
                errors.setdefault("chosen_model", []).append(
                    "Pick one of the models approved for this refresh."
                )
            elif enforce_options and proposed is not None and model.pk != proposed.pk:
                if model.platform != proposed.platform and not config.can_customize_platform:
                    errors.setdefault("chosen_model", []).append(
                        "This refresh does not offer a model of another platform."
                    )
                elif not config.can_customize_computer and not config.can_customize_platform:
                    errors.setdefault("chosen_model", []).append(
                        "This refresh does not offer a choice of model."
                    )
        ticket.chosen_model = model
        changed.append("chosen_model")

    if "none_fits" in answers:
        none_fits = bool(answers["none_fits"])
        if none_fits and enforce_options and not config.can_request_different_device:
            errors.setdefault("none_fits", []).append(
                "This refresh does not accept requests for a different device."
            )
        reason = (answers.get("none_fits_reason") or ticket.none_fits_reason or "").strip()
        if none_fits and not reason:
            errors.setdefault("none_fits_reason", []).append(
                "Say why none of the offered models fits."
            )
        ticket.none_fits = none_fits
        changed.append("none_fits")

    for name in TEXT_FIELDS:
        if name in answers:
            value = (answers[name] or "").strip()
            setattr(ticket, name, value)
            changed.append(name)

    location_changed = False
    if ticket.style == RefreshStyle.REMOTE and any(f in answers for f in SHIPPING_FIELDS):
        for name in ("ship_to_name", "ship_street", "ship_city", "ship_state", "ship_zip"):
            if not getattr(ticket, name):
                errors.setdefault(name, []).append("This is required for shipping.")
    if ticket.style == RefreshStyle.ON_PREM and any(f in answers for f in LOCATION_FIELDS):
        system = ticket.existing_system
        location_changed = (ticket.location_building, ticket.location_room) != (
            system.building,
            system.room,
        )

    if "peripherals" in answers:
        wanted = _ids(answers["peripherals"])
        bundle = (
            set(config.peripheral_bundle.peripherals.values_list("pk", flat=True))
            if config.peripheral_bundle_id
            else set()
        )
        allowed = bundle | set(config.approved_peripherals.values_list("pk", flat=True))
        if enforce_options and not config.can_customize_peripherals and wanted != bundle:
            errors.setdefault("peripherals", []).append(
                "This refresh gives the standard peripheral bundle only."
            )
        elif wanted - allowed:
            errors.setdefault("peripherals", []).append("Pick peripherals offered by this refresh.")
        ticket._pending_peripherals = wanted

    if "software_requests" in answers:
        wanted = _ids(answers["software_requests"])
        if wanted and enforce_options and not config.can_customize_software:
            errors.setdefault("software_requests", []).append(
                "This refresh does not take software requests."
            )
        elif wanted - set(config.software_catalog.values_list("pk", flat=True)):
            errors.setdefault("software_requests", []).append(
                "Pick software from this refresh's catalog."
            )
        ticket._pending_software = wanted

    if errors:
        raise RefreshError(errors)
    return changed, location_changed


def apply_m2m_answers(*, ticket: RefreshTicket) -> None:
    """Write the peripherals / software answers ``apply_answers`` checked."""
    wanted = getattr(ticket, "_pending_peripherals", None)
    if wanted is not None:
        ticket.peripherals.set(Peripheral.objects.filter(pk__in=wanted))
        del ticket._pending_peripherals
    wanted = getattr(ticket, "_pending_software", None)
    if wanted is not None:
        ticket.software_requests.set(SoftwareTitle.objects.filter(pk__in=wanted))
        del ticket._pending_software
