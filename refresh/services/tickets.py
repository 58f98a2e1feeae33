"""Creating refresh tickets and driving them through DESIGN.md §3.

Every function here is one use case: it locks the ticket, applies the model
transition, saves with ``update_fields``, writes one audit row and schedules
``refresh.services.effects`` (tasks enqueued after commit). Jobs pass ``job=`` (their
name lands in the audit row); people pass ``actor=`` (a user, checked against
the transition's permission); customers reach through emailed links and pass
``actor_label=``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from refresh.choices import (
    APPROVER_EDITABLE_STATUSES,
    EventKind,
    RefreshStyle,
    SystemStatus,
    TicketStatus,
)
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import (
    HardwareModel,
    RefreshConfig,
    RefreshTicket,
    RefreshTicketEvent,
    System,
)

from ._core import (
    actor_user,
    audit,
    lock_ticket,
    not_allowed,
    run_transition,
    schedule_effects,
)
from .answers import CheckedAnswers, apply_answers, apply_m2m_answers
from .effects import effects_after_event, effects_after_replacement_assigned

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
    return RefreshTicket(
        existing_system=system,
        user_id=system.current_user_id,
        delegate=delegate,
        support_team=support_team if support_team is not None else config.support_team,
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
    system = System.objects.select_for_update().get(pk=system.pk)
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
    )
    schedule_effects(
        ticket_id=ticket.pk,
        source="",
        target=ticket.status,
    )
    return ticket


# --- customer phase -----------------------------------------------------------
@transaction.atomic
def ticket_send_invite(*, ticket: RefreshTicket, job: str = "invites") -> RefreshTicket:
    """pending_invite → pending_customer (the invite email goes out as an effect)."""
    return run_transition(ticket=ticket, action="send_invite", actor_label=job)


@transaction.atomic
def ticket_save_wizard_progress(*, ticket: RefreshTicket, progress: dict) -> RefreshTicket:
    """Keep partial wizard answers between visits (only while the wizard is open)."""
    current = lock_ticket(ticket)
    if current.status not in (S.PENDING_INVITE, S.PENDING_CUSTOMER):
        raise not_allowed(current, "submit_wizard")
    current.wizard_progress = dict(progress)
    current.save(update_fields=["wizard_progress", "updated_at"])
    return current


def _apply_and_record_location(
    *, ticket: RefreshTicket, answers: dict, enforce_options: bool, actor=None, actor_label=""
) -> CheckedAnswers:
    checked = apply_answers(ticket=ticket, answers=answers, enforce_options=enforce_options)
    if checked.location_changed:
        system = ticket.existing_system
        _record_event(
            ticket=ticket,
            kind=EventKind.CHANGED_LOCATION,
            summary=(
                f"Location changed from {system.location_display or 'unknown'} to "
                f"{', '.join(p for p in (ticket.location_building, ticket.location_room) if p)}"
            ),
            payload={
                "from": {"building": system.building, "room": system.room},
                "to": {
                    "building": ticket.location_building,
                    "room": ticket.location_room,
                    "notes": ticket.location_notes,
                },
            },
            actor=actor,
            actor_label=actor_label,
        )
    return checked


@transaction.atomic
def ticket_submit_wizard(
    *, ticket: RefreshTicket, actor_label: str = "customer", answers: dict | None = None
) -> RefreshTicket:
    """pending_customer → pending_approval when the config requires approval, else
    pending_ordering (bump-down with its replacement: pending_itsm_existence).

    ``answers`` (optional; keys of ``refresh.services.answers.ANSWER_KEYS``) are
    checked against the config's options and saved first. An on-prem location
    that differs from the system's records a Changed Location event.
    """
    current = lock_ticket(ticket)
    if current.status != S.PENDING_CUSTOMER:
        raise not_allowed(current, "submit_wizard")
    checked = _apply_and_record_location(
        ticket=current, answers=answers or {}, enforce_options=True, actor_label=actor_label
    )
    current.wizard_progress = {}
    result = run_transition(
        ticket=current,
        action="submit_wizard",
        actor_label=actor_label,
        extra_fields=[*checked.changed, "wizard_progress"],
        locked=True,
    )
    apply_m2m_answers(ticket=result, checked=checked)
    return result


@transaction.atomic
def ticket_expire_wizard(*, ticket: RefreshTicket, job: str = "wizard_deadlines") -> RefreshTicket:
    """pending_customer → pending_location_info (the wizard deadline passed)."""
    return run_transition(ticket=ticket, action="expire_wizard", actor_label=job)


@transaction.atomic
def ticket_submit_location_info(
    *, ticket: RefreshTicket, actor, answers: dict | None = None, note: str = ""
) -> RefreshTicket:
    """Staff fills the location form: pending_location_info → approval / ordering."""
    current = lock_ticket(ticket)
    if current.status != S.PENDING_LOCATION_INFO:
        raise not_allowed(current, "submit_location_info")
    checked = _apply_and_record_location(
        ticket=current, answers=answers or {}, enforce_options=False, actor=actor
    )
    result = run_transition(
        ticket=current,
        action="submit_location_info",
        actor=actor,
        note=note,
        extra_fields=checked.changed,
        locked=True,
    )
    apply_m2m_answers(ticket=result, checked=checked)
    return result


# --- approval -----------------------------------------------------------------
def _require_config_approver(ticket: RefreshTicket, approver) -> None:
    from refresh.models.guards import _is_config_approver

    if not _is_config_approver(ticket, approver):
        raise TransitionDenied(f"You are not an approver of {ticket.config}.")


@transaction.atomic
def ticket_approve(*, ticket: RefreshTicket, approver, note: str = "") -> RefreshTicket:
    """pending_approval → pending_ordering (bump-down: pending_itsm_existence)."""
    return run_transition(
        ticket=ticket, action="approve", actor=approver, note=note, args=(approver,)
    )


@transaction.atomic
def ticket_return_to_customer(*, ticket: RefreshTicket, approver, note: str) -> RefreshTicket:
    """pending_approval → pending_customer with the approver's comment (required)."""
    note = (note or "").strip()
    if not note:
        raise RefreshError("Say what the customer should change.")
    current = lock_ticket(ticket)
    result = run_transition(
        ticket=current, action="return_to_customer", actor=approver, note=note, locked=True
    )
    _record_event(
        ticket=result,
        kind=EventKind.COMMENT,
        summary=f"Returned to the customer: {note}"[:300],
        payload={"note": note},
        actor=approver,
    )
    return result


@transaction.atomic
def ticket_update_by_approver(*, ticket: RefreshTicket, approver, answers: dict) -> RefreshTicket:
    """An approver edits device, peripherals, software or location until pending_ordering.

    No status change; later changes go through ``ticket_file_change_request``.
    """
    current = lock_ticket(ticket)
    _require_config_approver(current, approver)
    if current.status not in APPROVER_EDITABLE_STATUSES:
        raise RefreshError(
            f"{current.number} is {current.get_status_display()}: approvers can no longer "
            "edit it. File a change request instead."
        )
    checked = _apply_and_record_location(
        ticket=current, answers=answers, enforce_options=False, actor=approver
    )
    current.save(update_fields=sorted({*checked.changed, "updated_at"}))
    apply_m2m_answers(ticket=current, checked=checked)
    return current


@transaction.atomic
def ticket_file_change_request(*, ticket: RefreshTicket, approver, text: str) -> RefreshTicketEvent:
    """After ordering started an approver asks for a change: a Change Request event
    (sent to the ITSM by the integrations jobs)."""
    text = (text or "").strip()
    if not text:
        raise RefreshError("Describe the change you need.")
    current = lock_ticket(ticket)
    _require_config_approver(current, approver)
    if current.status in APPROVER_EDITABLE_STATUSES:
        raise RefreshError(
            f"{current.number} is {current.get_status_display()}: edit the ticket directly."
        )
    if current.is_final:
        raise not_allowed(current, "change_request", "Closed tickets take no change requests.")
    return _record_event(
        ticket=current,
        kind=EventKind.CHANGE_REQUEST,
        summary=text[:300],
        payload={"text": text},
        actor=approver,
    )


# --- replacement, ITSM, delivery ------------------------------------------------
@transaction.atomic
def ticket_assign_replacement(
    *, ticket: RefreshTicket, system: System | None, actor
) -> RefreshTicket:
    """Single-ticket edit: swap the replacement hardware. The status does not change
    (advancing is the order group's job: ``tickets_assign_replacements_bulk``)."""
    current = lock_ticket(ticket)
    if current.is_final:
        raise not_allowed(
            current, "advance_with_replacement", "Closed tickets keep their hardware."
        )
    user = actor_user(actor)
    if user is not None and not user.has_perm("refresh.assign_replacement_refreshticket"):
        raise TransitionDenied("You may not assign replacement systems.")
    if system is None and current.status != S.PENDING_ORDERING:
        raise RefreshError("Only a ticket still pending ordering can lose its replacement.")
    if system is not None:
        validate_replacement(
            existing=current.existing_system, replacement=system, ticket_id=current.pk
        )
    previous = current.replacement_system
    current.replacement_system = system
    current.save(update_fields=["replacement_system", "updated_at"])
    _record_event(
        ticket=current,
        kind=EventKind.REPLACEMENT_CHANGED,
        summary=(
            f"Replacement {previous.serial_number if previous else 'none'} → "
            f"{system.serial_number if system else 'none'}"
        ),
        payload={
            "from": previous.serial_number if previous else "",
            "to": system.serial_number if system else "",
        },
        actor=actor,
    )
    if system is not None:
        effects_after_replacement_assigned(ticket_id=current.pk)
    return current


@transaction.atomic
def ticket_itsm_found(*, ticket: RefreshTicket, job: str = "itsm_existence") -> RefreshTicket:
    """pending_itsm_existence → by style: on-site styles pending_slot_discovery;
    remote pending_delivery; no_customer delivery_scheduled (generic 12 AM slot)."""
    current = lock_ticket(ticket)
    fields = []
    if current.style == RefreshStyle.NO_CUSTOMER and current.status == S.PENDING_ITSM_EXISTENCE:
        from scheduling.calendar import business_calendar, local_today

        calendar = business_calendar()
        current.delivery_at = calendar.at(calendar.next_business_day(local_today()), dt.time(0, 0))
        fields.append("delivery_at")
    return run_transition(
        ticket=current, action="itsm_found", actor_label=job, extra_fields=fields, locked=True
    )


@transaction.atomic
def ticket_itsm_lookup_failed(
    *, ticket: RefreshTicket, error: str, job: str = "itsm_existence"
) -> RefreshTicket:
    """Record a failed or empty ITSM existence lookup (the Problems tab counts them)."""
    current = lock_ticket(ticket)
    if current.status != S.PENDING_ITSM_EXISTENCE:
        raise not_allowed(current, "itsm_found")
    current.itsm_lookup_attempts += 1
    current.itsm_lookup_error = (error or "")[:2000]
    current.itsm_last_checked_at = timezone.now()
    current.save(
        update_fields=[
            "itsm_lookup_attempts",
            "itsm_lookup_error",
            "itsm_last_checked_at",
            "updated_at",
        ]
    )
    return current


@transaction.atomic
def ticket_slot_discovered(*, ticket: RefreshTicket, job: str = "slot_discovery") -> RefreshTicket:
    """pending_slot_discovery → pending_customer_scheduling (the team has capacity)."""
    return run_transition(ticket=ticket, action="slot_discovered", actor_label=job)


@transaction.atomic
def ticket_book_slot(
    *, ticket: RefreshTicket, slot_id: int, actor=None, actor_label: str = "customer"
) -> RefreshTicket:
    """Book a day-1 slot: pending_customer_scheduling → delivery_scheduled.

    On a delivery_scheduled ticket this moves the booking to the new slot and the
    status stays (staff assigning another slot). A full slot raises
    ``RefreshError`` with the scheduling message; nothing changes then.
    """
    from scheduling.exceptions import SlotUnavailable
    from scheduling.models import Booking
    from scheduling.services import booking_create, booking_reschedule

    current = lock_ticket(ticket)
    from ._core import check_transition

    check_transition(current, "book_slot", actor=actor)
    by = actor_user(actor)
    active = (
        Booking.objects.filter(pk=current.booking_id, cancelled_at__isnull=True).first()
        if current.booking_id
        else None
    )
    previous_slot_id = active.slot_id if active else None
    try:
        if active is not None:
            booking = booking_reschedule(booking=active, new_slot_id=slot_id, by=by)
        else:
            booking = booking_create(slot_id=slot_id, booked_object=current, booked_by=by)
    except SlotUnavailable as exc:
        raise RefreshError(exc.message) from exc
    booking = Booking.objects.select_related("slot").get(pk=booking.pk)
    current.booking = booking
    result = run_transition(
        ticket=current,
        action="book_slot",
        actor=actor,
        actor_label=actor_label,
        args=(booking.slot.start,),
        extra_fields=["booking"],
        locked=True,
        note="Moved to another slot" if previous_slot_id else "",
    )
    _record_event(
        ticket=result,
        kind=EventKind.BOOKING,
        summary=(
            f"{'Moved' if previous_slot_id else 'Booked'}: "
            f"{timezone.localtime(booking.slot.start):%a %b %-d %Y, %-I:%M %p}"
        ),
        payload={"slot_id": booking.slot_id, "previous_slot_id": previous_slot_id},
        actor=actor,
        actor_label=actor_label,
    )
    return result


def _release_booking(ticket: RefreshTicket, *, by, reason: str) -> bool:
    from scheduling.models import Booking
    from scheduling.services import booking_cancel

    if not ticket.booking_id:
        return False
    booking = Booking.objects.filter(pk=ticket.booking_id).first()
    if booking is not None and booking.cancelled_at is None:
        booking_cancel(booking=booking, by=by, reason=reason)
    ticket.booking = None
    return True


@transaction.atomic
def ticket_request_reschedule(
    *, ticket: RefreshTicket, actor=None, actor_label: str = "customer", note: str = ""
) -> RefreshTicket:
    """delivery_scheduled → pending_customer_scheduling; the booking is released."""
    current = lock_ticket(ticket)
    from ._core import check_transition

    check_transition(current, "request_reschedule", actor=actor)
    released = _release_booking(current, by=actor_user(actor), reason="Reschedule requested")
    return run_transition(
        ticket=current,
        action="request_reschedule",
        actor=actor,
        actor_label=actor_label,
        note=note,
        extra_fields=["booking"] if released else [],
        locked=True,
    )


@transaction.atomic
def ticket_mark_installed(
    *, ticket: RefreshTicket, actor=None, job: str = "itsm_poll", note: str = ""
) -> RefreshTicket:
    """delivery_scheduled / pending_delivery → installed (the ITSM says so)."""
    return run_transition(
        ticket=ticket, action="mark_installed", actor=actor, actor_label=job, note=note
    )


@transaction.atomic
def ticket_mark_complete(
    *, ticket: RefreshTicket, actor=None, job: str = "itsm_poll", note: str = ""
) -> RefreshTicket:
    """installed → complete (the ITSM closed the ticket)."""
    return run_transition(
        ticket=ticket, action="mark_complete", actor=actor, actor_label=job, note=note
    )


# --- staff: hold, resume, cancel ------------------------------------------------
@transaction.atomic
def ticket_hold(*, ticket: RefreshTicket, actor, note: str = "") -> RefreshTicket:
    """Any open status → on_hold, remembering the status it left."""
    return run_transition(ticket=ticket, action="hold", actor=actor, note=note)


@transaction.atomic
def ticket_resume(*, ticket: RefreshTicket, actor, note: str = "") -> RefreshTicket:
    """on_hold → the status it was held from."""
    return run_transition(ticket=ticket, action="resume", actor=actor, note=note)


@transaction.atomic
def ticket_cancel(
    *, ticket: RefreshTicket, actor=None, note: str = "", job: str = ""
) -> RefreshTicket:
    """Any non-final status → cancelled (never undone); an active booking is released."""
    current = lock_ticket(ticket)
    from ._core import check_transition

    check_transition(current, "cancel", actor=actor)
    released = _release_booking(current, by=actor_user(actor), reason="Ticket cancelled")
    return run_transition(
        ticket=current,
        action="cancel",
        actor=actor,
        actor_label=job,
        note=note,
        extra_fields=["booking"] if released else [],
        locked=True,
    )


# --- events and job bookkeeping ---------------------------------------------------
def _record_event(
    *,
    ticket: RefreshTicket,
    kind: str,
    summary: str,
    payload: dict | None = None,
    actor=None,
    actor_label: str = "",
    itsm_synced_at=None,
) -> RefreshTicketEvent:
    user = actor_user(actor)
    event = RefreshTicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        summary=summary[:300],
        payload=payload or {},
        created_by=user,
        actor_label="" if user else (actor_label or "system")[:80],
        itsm_synced_at=itsm_synced_at,
    )
    effects_after_event(event_id=event.pk)
    return event


@transaction.atomic
def ticket_record_event(
    *,
    ticket: RefreshTicket,
    kind: str,
    summary: str,
    payload: dict | None = None,
    actor=None,
    actor_label: str = "",
    itsm_synced_at=None,
) -> RefreshTicketEvent:
    """Record something that happened to a ticket (ITSM pushed/seen, comment, …).

    After commit the ITSM push is enqueued (``effects_after_event``).
    """
    if kind not in EventKind.values:
        raise RefreshError(f"Unknown event kind {kind!r}.")
    return _record_event(
        ticket=ticket,
        kind=kind,
        summary=summary,
        payload=payload,
        actor=actor,
        actor_label=actor_label,
        itsm_synced_at=itsm_synced_at,
    )


def ticket_event_mark_synced(*, event: RefreshTicketEvent) -> bool:
    """Mark an event written to the ITSM; False when another worker already did."""
    now = timezone.now()
    updated = RefreshTicketEvent.objects.filter(pk=event.pk, itsm_synced_at__isnull=True).update(
        itsm_synced_at=now
    )
    if updated:
        event.itsm_synced_at = now
    return bool(updated)


# Timestamp fields jobs claim once (idempotency: only the first claim wins).
CLAIMABLE_FIELDS = frozenset(
    {
        "first_reminder_sent_at",
        "second_reminder_sent_at",
        "slack_notified_at",
        "mac_engineering_notified_at",
        "prestage_closed_at",
    }
)


def ticket_claim_once(*, ticket: RefreshTicket, field: str) -> bool:
    """Set ``field`` to now if still empty; True only for the caller that set it.

    Jobs call this before sending a reminder, a Slack notice, the Mac engineering
    email or closing the prestage task, so a retried job sends nothing twice.
    """
    if field not in CLAIMABLE_FIELDS:
        raise ValueError(f"{field} is not a claimable ticket timestamp.")
    now = timezone.now()
    updated = RefreshTicket.objects.filter(pk=ticket.pk, **{f"{field}__isnull": True}).update(
        **{field: now, "updated_at": now}
    )
    if updated:
        setattr(ticket, field, now)
    return bool(updated)


@transaction.atomic
def ticket_set_itsm_ticket(
    *, ticket: RefreshTicket, itsm_ticket_id: str, itsm_ticket_url: str = "", job: str = "itsm"
) -> RefreshTicket:
    """Link the ITSM ticket created for this refresh ticket."""
    current = lock_ticket(ticket)
    current.itsm_ticket_id = str(itsm_ticket_id)[:60]
    current.itsm_ticket_url = itsm_ticket_url
    current.save(update_fields=["itsm_ticket_id", "itsm_ticket_url", "updated_at"])
    return current


@transaction.atomic
def ticket_set_tracking_number(
    *, ticket: RefreshTicket, tracking_number: str, job: str = "itsm_poll"
) -> RefreshTicket:
    """Record the shipment tracking number of a remote delivery."""
    current = lock_ticket(ticket)
    current.tracking_number = tracking_number.strip()[:120]
    current.save(update_fields=["tracking_number", "updated_at"])
    return current
