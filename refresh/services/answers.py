"""Applying wizard / location / approver answers to a ticket, checked against its config."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from refresh.choices import RefreshStyle
from refresh.exceptions import RefreshError
from refresh.models import HardwareModel, Peripheral, RefreshTicket, SoftwareTitle
from refresh.models.shipping import LOCATION_FIELDS, SHIPPING_FIELDS
from refresh.selectors.wizard import (
    model_by_id,
    model_choice_error,
    none_fits_errors,
    peripherals_choice_error,
    software_choice_error,
)

# Answer keys a caller may pass, grouped by what they write.
TEXT_FIELDS = ("none_fits_reason", "inadequate_reason", *SHIPPING_FIELDS, *LOCATION_FIELDS)
ANSWER_KEYS = frozenset(
    {"chosen_model", "none_fits", "peripherals", "software_requests", *TEXT_FIELDS}
)


def _ids(values: Iterable) -> set[int]:
    return {value.pk if hasattr(value, "pk") else int(value) for value in values}


@dataclass(frozen=True)
class CheckedAnswers:
    """What ``apply_answers`` set on the ticket, and the many-to-many answers to write
    once the ticket is saved (``None``: not answered, leave as is)."""

    changed: list[str]
    location_changed: bool
    peripherals: frozenset[int] | None = None
    software: frozenset[int] | None = None


def apply_answers(*, ticket: RefreshTicket, answers: dict, enforce_options: bool) -> CheckedAnswers:
    """Validate ``answers`` and set the field answers on ``ticket`` (not saved).

    The option rules live in ``refresh.selectors.wizard``: ``enforce_options``
    applies the config's five customer options (the wizard); approvers and
    staff may pick anything the config's catalog allows. The peripherals and
    software answers are returned checked; write them after the caller saved
    with ``apply_m2m_answers``.
    """
    unknown = set(answers) - ANSWER_KEYS
    if unknown:
        raise RefreshError(f"Unknown answers: {', '.join(sorted(unknown))}.")
    config = ticket.config
    errors: dict[str, list[str]] = {}
    changed: list[str] = []

    def fail(field: str, message: str) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    if "chosen_model" in answers:
        model = answers["chosen_model"]
        if model is not None and not isinstance(model, HardwareModel):
            model = model_by_id(model)
        if model is not None:
            fail(
                "chosen_model",
                model_choice_error(ticket=ticket, model=model, enforce_options=enforce_options),
            )
        ticket.chosen_model = model
        changed.append("chosen_model")

    if "none_fits" in answers:
        none_fits = bool(answers["none_fits"])
        reason = (answers.get("none_fits_reason") or ticket.none_fits_reason or "").strip()
        for field, message in none_fits_errors(
            config=config, none_fits=none_fits, reason=reason, enforce_options=enforce_options
        ).items():
            fail(field, message)
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
                fail(name, "This is required for shipping.")
    if ticket.style == RefreshStyle.ON_PREM and any(f in answers for f in LOCATION_FIELDS):
        system = ticket.existing_system
        location_changed = (ticket.location_building, ticket.location_room) != (
            system.building,
            system.room,
        )

    peripherals = software = None
    if "peripherals" in answers:
        peripherals = frozenset(_ids(answers["peripherals"]))
        fail(
            "peripherals",
            peripherals_choice_error(
                config=config, wanted=set(peripherals), enforce_options=enforce_options
            ),
        )
    if "software_requests" in answers:
        software = frozenset(_ids(answers["software_requests"]))
        fail(
            "software_requests",
            software_choice_error(
                config=config, wanted=set(software), enforce_options=enforce_options
            ),
        )

    if errors:
        raise RefreshError(errors)
    return CheckedAnswers(
        changed=changed,
        location_changed=location_changed,
        peripherals=peripherals,
        software=software,
    )


def apply_m2m_answers(*, ticket: RefreshTicket, checked: CheckedAnswers) -> None:
    """Write the peripherals / software answers ``apply_answers`` checked."""
    if checked.peripherals is not None:
        ticket.peripherals.set(Peripheral.objects.filter(pk__in=checked.peripherals))
    if checked.software is not None:
        ticket.software_requests.set(SoftwareTitle.objects.filter(pk__in=checked.software))
