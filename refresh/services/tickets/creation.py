"""Creating a refresh ticket: the proposed model, business-day due dates,
the checks on the system and its replacement, the new row and its audit.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from refresh.choices import (
    RefreshStyle,
    SystemStatus,
    TicketStatus,
)
from refresh.exceptions import RefreshError
from refresh.models import (
    HardwareModel,
    RefreshConfig,
    RefreshTicket,
    System,
)
from refresh.models.sort_keys import team_sort_name, user_sort_name

from .._core import (
    actor_user,
    audit,
    schedule_effects,
)
from ..effects import effects_after_replacement_assigned

S = TicketStatus


# --- creation -----------------------------------------------------------------
def default_proposed_model(*, config: RefreshConfig, platform: str) -> HardwareModel | None:
    """The first active approved model of the system's platform (else of any platform)."""
    models = list(config.approved_models.filter(active=True).order_by("manufacturer", "name"))
    for model in models:
        if model.platform == platform:
            return model
    return models[0] if models else None


def business_dates(*, created_at: dt.datetime) -> dict:
    """invite_at, reminders and deadline for a customer ticket created at ``created_at``."""
    from scheduling.calendar import invite_time, reminder_times, wizard_deadline

    invite_at = invite_time(created_at)
    first, second = reminder_times(invite_at)
    return {
        "invite_at": invite_at,
        "first_reminder_at": first,
        "second_reminder_at": second,
        "deadline_at": wizard_deadline(invite_at),
    }


def validate_new_ticket(
    *,
    system: System,
    style: str,
    delegate=None,
    replacement_system: System | None = None,
    has_open_ticket: bool | None = None,
) -> None:
    """Raise ``RefreshError`` when a ticket for ``system`` in ``style`` cannot be created."""
    if system.status == SystemStatus.RETIRED:
        raise RefreshError(f"{system.serial_number} is retired.")
    if has_open_ticket is None:
        has_open_ticket = (
            RefreshTicket.objects.filter(existing_system=system)
            .exclude(status__in=[S.COMPLETE, S.CANCELLED])
            .exists()
        )
    if has_open_ticket:
        raise RefreshError(f"{system.serial_number} already has an open refresh ticket.")
    if style != RefreshStyle.NO_CUSTOMER and system.current_user_id is None and delegate is None:
        raise RefreshError(
            f"{system.serial_number} has no current user to invite; "
            "name a delegate or use the no-customer style."
        )
    if style == RefreshStyle.BUMP_DOWN and replacement_system is None:
        raise RefreshError("A bump-down ticket needs its replacement system at creation.")
    if replacement_system is not None:
        validate_replacement(existing=system, replacement=replacement_system)


def validate_replacement(*, existing: System, replacement: System, ticket_id=None) -> None:
    if replacement.pk == existing.pk:
        raise RefreshError("A system cannot replace itself.")
    if replacement.status == SystemStatus.RETIRED:
        raise RefreshError(f"{replacement.serial_number} is retired.")
    # Another person's computer in use is refused like an unknown serial.
    if replacement.current_user_id is not None:
        raise RefreshError(
            f"{replacement.serial_number} is in use: it is assigned to a person, "
            "not a replacement in stock."
        )
    if (
        RefreshTicket.objects.filter(existing_system=replacement)
        .exclude(status__in=[S.COMPLETE, S.CANCELLED])
        .exists()
    ):
        raise RefreshError(
            f"{replacement.serial_number} is in use: it is the computer being replaced on "
            "an open ticket."
        )
    taken = RefreshTicket.objects.filter(replacement_system=replacement).exclude(
        status__in=[S.COMPLETE, S.CANCELLED]
    )
    if ticket_id is not None:
        taken = taken.exclude(pk=ticket_id)
    if taken.exists():
        raise RefreshError(
            f"{replacement.serial_number} is already the replacement on another open ticket."
        )


def build_ticket(
    *,
    system: System,
    config: RefreshConfig,
    style: str,
    delegate=None,
    support_team=None,
    batch=None,
    actor=None,
    replacement_system: System | None = None,
    proposed_model: HardwareModel | None = None,
    now: dt.datetime,
    dates: dict | None = None,
) -> RefreshTicket:
    """An unsaved ticket with every creation default applied (shared with bulk creation)."""
    no_customer = style == RefreshStyle.NO_CUSTOMER
    if not no_customer and dates is None:
        dates = business_dates(created_at=now)
    team = support_team if support_team is not None else config.support_team
    return RefreshTicket(
        existing_system=system,
        user_id=system.current_user_id,
        user_sort_name=user_sort_name(system.current_user),
        delegate=delegate,
        support_team=team,
        team_sort_name=team_sort_name(team),
        config=config,
        batch=batch,
        style=style,
        proposed_model=proposed_model,
        replacement_system=replacement_system,
        location_building=system.building,
        location_room=system.room,
        status=S.PENDING_ORDERING if no_customer else S.PENDING_INVITE,
        status_changed_at=now,
        created_at=now,
        created_by=actor_user(actor),
        **({} if no_customer else dates),
    )


@transaction.atomic
def ticket_create(
    *,
    system: System,
    config: RefreshConfig,
    style: str | None = None,
    delegate=None,
    support_team=None,
    batch=None,
    actor=None,
    replacement_system: System | None = None,
) -> RefreshTicket:
    """Open a refresh ticket for ``system``.

    Customer styles start ``pending_invite`` with invite, reminder and deadline
    times from the business calendar; ``no_customer`` starts ``pending_ordering``
    (no email ever). ``bump_down`` needs ``replacement_system`` now. The user is
    the system's current user; the peripherals start as the config's bundle.
    One audit row; effects after commit.
    """
    style = style or config.style
    if style not in RefreshStyle.values:
        raise RefreshError(f"Unknown style {style!r}.")
    # Lock the system row: two creators of the same system queue here.
    system = (
        System.objects.select_for_update(of=("self",))
        .select_related("current_user")
        .get(pk=system.pk)
    )
    validate_new_ticket(
        system=system, style=style, delegate=delegate, replacement_system=replacement_system
    )
    ticket = build_ticket(
        system=system,
        config=config,
        style=style,
        delegate=delegate,
        support_team=support_team,
        batch=batch,
        actor=actor,
        replacement_system=replacement_system,
        proposed_model=default_proposed_model(config=config, platform=system.platform),
        now=timezone.now(),
    )
    ticket.save()
    if config.peripheral_bundle_id:
        ticket.peripherals.set(config.peripheral_bundle.peripherals.all())
    audit(
        ticket=ticket,
        source="",
        target=ticket.status,
        action="create",
        actor=actor,
        actor_label="" if actor_user(actor) else "created",
        at=ticket.status_changed_at,
    )
    schedule_effects(
        ticket_id=ticket.pk,
        source="",
        target=ticket.status,
    )
    if replacement_system is not None:
        # Bump-down: the replacement is named now, so the hand-offs follow now.
        effects_after_replacement_assigned(ticket_id=ticket.pk)
    return ticket
