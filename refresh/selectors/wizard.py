"""The customer wizard's option rules, in one place (DESIGN.md §3, "Wizard pages").

A config's five options decide what its customers are offered: another approved
model (``can_customize_computer``), a model of another platform
(``can_customize_platform``), "none of these fits" (``can_customize_computer``, or
"the proposed computer is not adequate" with ``can_request_different_device``),
peripherals beyond the bundle (``can_customize_peripherals``) and software from
the curated catalog (``can_customize_software``). The wizard pages show what
these functions offer; ``refresh.services.answers.apply_answers`` checks every
answer with the same functions (``enforce_options`` for customers; approvers and
staff may pick anything in the config's catalog).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from refresh.choices import RefreshStyle
from refresh.models import HardwareModel, Peripheral, RefreshConfig, RefreshTicket, SoftwareTitle
from refresh.models.shipping import LOCATION_FIELDS, SHIPPING_FIELDS

STEPS = ("location", "device", "peripherals", "software", "review")


def wizard_steps(*, config: RefreshConfig) -> list[str]:
    """The wizard's pages for this config (software only when it is offered)."""
    return [s for s in STEPS if s != "software" or config.can_customize_software]


def wizard_location_kind(*, ticket: RefreshTicket) -> str:
    """Which location page the customer sees: "remote", "user_specified" or "on_prem"."""
    if ticket.style == RefreshStyle.REMOTE:
        return "remote"
    if ticket.style == RefreshStyle.USER_SPECIFIED_LOCATION:
        return "user_specified"
    return "on_prem"


# --- computers -----------------------------------------------------------------
def wizard_offers_model_choice(*, config: RefreshConfig) -> bool:
    return config.can_customize_computer or config.can_customize_platform


def wizard_models(*, ticket: RefreshTicket) -> QuerySet[HardwareModel] | None:
    """The models the customer may pick (None: the config offers no choice).

    The config's active approved models plus the proposed one; of the proposed
    model's platform unless the config lets customers change platform.
    """
    config, proposed = ticket.config, ticket.proposed_model
    if not wizard_offers_model_choice(config=config):
        return None
    approved = Q(pk__in=config.approved_models.filter(active=True).values("pk"))
    qs = HardwareModel.objects.filter(approved | Q(pk=proposed.pk) if proposed else approved)
    if proposed is not None and not config.can_customize_platform:
        qs = qs.filter(platform=proposed.platform)
    return qs.order_by("manufacturer", "name")


def catalog_models(*, config: RefreshConfig) -> QuerySet[HardwareModel]:
    """The config's active approved models (what approvers and staff may pick)."""
    return config.approved_models.filter(active=True)


def model_by_id(model_id) -> HardwareModel | None:
    return HardwareModel.objects.filter(pk=model_id).first() if model_id else None


def model_choice_error(
    *, ticket: RefreshTicket, model: HardwareModel, enforce_options: bool
) -> str:
    """Why ``model`` may not be chosen for ``ticket`` ("" when it may)."""
    config, proposed = ticket.config, ticket.proposed_model
    approved = config.approved_models.filter(pk=model.pk, active=True).exists()
    if not approved and (proposed is None or model.pk != proposed.pk):
        return "Pick one of the models approved for this refresh."
    if enforce_options and proposed is not None and model.pk != proposed.pk:
        if model.platform != proposed.platform and not config.can_customize_platform:
            return "This refresh does not offer a model of another platform."
        if not wizard_offers_model_choice(config=config):
            return "This refresh does not offer a choice of model."
    return ""


def wizard_offers_none_fits(*, config: RefreshConfig) -> bool:
    """ "None of these fits" is offered whenever customers may customize the computer
    (the Otto rule, whatever Can Request Different Device says); without that, Can
    Request Different Device offers "the proposed computer is not adequate"."""
    return config.can_customize_computer or config.can_request_different_device


def none_fits_errors(
    *, config: RefreshConfig, none_fits: bool, reason: str, enforce_options: bool
) -> dict[str, str]:
    """ "None of these fits": offered by ``wizard_offers_none_fits``; needs a reason."""
    errors = {}
    if none_fits and enforce_options and not wizard_offers_none_fits(config=config):
        errors["none_fits"] = "This refresh does not accept requests for a different device."
    if none_fits and not reason:
        errors["none_fits_reason"] = "Say why none of the offered models fits."
    return errors


# --- peripherals ---------------------------------------------------------------
def wizard_bundle(*, config: RefreshConfig) -> list[Peripheral]:
    """The standard bundle every customer gets unless the config lets them edit it."""
    bundle = config.peripheral_bundle
    return list(bundle.peripherals.all()) if bundle else []


def _bundle_ids(config: RefreshConfig) -> set[int]:
    if not config.peripheral_bundle_id:
        return set()
    return set(config.peripheral_bundle.peripherals.values_list("pk", flat=True))


def _allowed_peripheral_ids(config: RefreshConfig) -> set[int]:
    return _bundle_ids(config) | set(config.approved_peripherals.values_list("pk", flat=True))


def wizard_peripherals(*, config: RefreshConfig) -> QuerySet[Peripheral]:
    """The bundle and the config's extra peripherals (the customer's choices)."""
    return Peripheral.objects.filter(pk__in=_allowed_peripheral_ids(config))


def catalog_peripherals(*, config: RefreshConfig) -> QuerySet[Peripheral]:
    """The config's extra peripherals (what the approver edit form offers)."""
    return config.approved_peripherals.all()


def peripherals_choice_error(
    *, config: RefreshConfig, wanted: set[int], enforce_options: bool
) -> str:
    """Why the peripherals ``wanted`` (ids) may not be chosen ("" when they may)."""
    if enforce_options and not config.can_customize_peripherals and wanted != _bundle_ids(config):
        return "This refresh gives the standard peripheral bundle only."
    if wanted - _allowed_peripheral_ids(config):
        return "Pick peripherals offered by this refresh."
    return ""


# --- software ------------------------------------------------------------------
def wizard_software(
    *, config: RefreshConfig, model: HardwareModel | None
) -> QuerySet[SoftwareTitle]:
    """Active catalog titles for the computer's platform (or for every platform)."""
    qs = config.software_catalog.filter(active=True)
    if model is not None:
        qs = qs.filter(Q(platform="") | Q(platform=model.platform))
    return qs


def catalog_software(*, config: RefreshConfig) -> QuerySet[SoftwareTitle]:
    """The config's whole software catalog (what approvers may pick)."""
    return config.software_catalog.all()


def software_choice_error(*, config: RefreshConfig, wanted: set[int], enforce_options: bool) -> str:
    """Why the software ``wanted`` (ids) may not be requested ("" when it may)."""
    if wanted and enforce_options and not config.can_customize_software:
        return "This refresh does not take software requests."
    if wanted - set(config.software_catalog.values_list("pk", flat=True)):
        return "Pick software from this refresh's catalog."
    return ""


# --- the answers as submitted ----------------------------------------------------
LOCATION_KEYS = {
    "remote": SHIPPING_FIELDS,
    "on_prem": LOCATION_FIELDS,
    "user_specified": ("location_notes",),
}


def wizard_submit_answers(*, ticket: RefreshTicket, saved: dict) -> dict:
    """The saved wizard answers the config lets the customer give, for
    ``ticket_submit_wizard`` (which checks them again with ``apply_answers``)."""
    config = ticket.config
    answers = {
        key: saved[key]
        for key in LOCATION_KEYS[wizard_location_kind(ticket=ticket)]
        if key in saved
    }
    if wizard_offers_model_choice(config=config) and saved.get("chosen_model"):
        answers["chosen_model"] = saved["chosen_model"]
    if wizard_offers_none_fits(config=config) and "none_fits" in saved:
        answers["none_fits"] = saved["none_fits"]
        answers["none_fits_reason"] = saved.get("none_fits_reason", "")
        answers["inadequate_reason"] = saved.get("inadequate_reason", "")
    if config.can_customize_peripherals:
        if "peripherals" in saved:
            answers["peripherals"] = saved["peripherals"]
    else:
        answers["peripherals"] = [p.pk for p in wizard_bundle(config=config)]
    if config.can_customize_software and "software_requests" in saved:
        answers["software_requests"] = saved["software_requests"]
    return answers


def wizard_device_model(*, ticket: RefreshTicket, saved: dict) -> HardwareModel | None:
    """The computer the customer will get: the saved choice, else the ticket's."""
    return model_by_id(saved.get("chosen_model")) or ticket.device_model


def wizard_summary(*, ticket: RefreshTicket, saved: dict) -> dict:
    """What the review page shows of the saved answers."""
    peripherals: Iterable[Peripheral] = (
        Peripheral.objects.filter(pk__in=saved["peripherals"])
        if "peripherals" in saved
        else wizard_bundle(config=ticket.config)
    )
    software = SoftwareTitle.objects.filter(pk__in=saved.get("software_requests") or [])
    return {
        "location": {
            key: value for key, value in saved.items() if key.startswith(("ship_", "location_"))
        },
        "model": wizard_device_model(ticket=ticket, saved=saved),
        "none_fits": saved.get("none_fits", False),
        "none_fits_reason": saved.get("none_fits_reason", ""),
        "peripherals": list(peripherals),
        "software": list(software),
    }
