"""Refresh automation: one service per job and per side effect.

Every function here is safe to run twice, or on two workers at once: due times
live in the database, claims are conditional updates, emails carry unique
keys, ITSM creates carry idempotency keys. Transient ITSM errors propagate so
the calling task retries with backoff; the database keeps the work waiting.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.itsm import (
    NewTicket,
    PermanentITSMError,
    TransientITSMError,
    get_itsm_client,
)
from notifications.links import access_link_issue
from notifications.services import Attachment, email_queue
from refresh.choices import EventKind, RefreshStyle
from refresh.choices import TicketStatus as S
from refresh.exceptions import RefreshError
from refresh.models import RefreshTicket
from refresh.selectors import (
    ticket_customer_email,
    tickets_awaiting_itsm_existence,
    tickets_awaiting_slot_discovery,
    tickets_due_invite,
    tickets_due_reminder,
    tickets_for_itsm_poll,
    tickets_past_wizard_deadline,
)
from refresh.services import (
    ticket_claim_once,
    ticket_expire_wizard,
    ticket_itsm_found,
    ticket_itsm_lookup_failed,
    ticket_mark_complete,
    ticket_mark_installed,
    ticket_record_event,
    ticket_send_invite,
    ticket_set_itsm_ticket,
    ticket_slot_discovered,
)

logger = logging.getLogger(__name__)

ITSM_TASK_TITLES = [
    "Order the replacement",
    "Prestage the replacement",
    "Deliver and set up",
    "Collect the old device",
]
PRESTAGE_TASK = "Prestage the replacement"
DELIVERY_TASK = "Deliver and set up"
BATCH = 500


def _ticket(ticket_id: int) -> RefreshTicket | None:
    return (
        RefreshTicket.objects.select_related(
            "user",
            "delegate",
            "config",
            "support_team",
            "existing_system",
            "replacement_system",
            "booking__slot",
        )
        .filter(pk=ticket_id)
        .first()
    )


def customer_link(ticket: RefreshTicket, *, purpose: str, email: str) -> str:
    issued = access_link_issue(target=ticket, purpose=purpose, email=email)
    return issued.url(f"/refresh/c/{issued.token}/")


def _context(ticket: RefreshTicket, **extra) -> dict:
    person = ticket.delegate or ticket.user
    return {
        "ticket": ticket,
        "person_name": (person.get_short_name() if person else "") or "there",
        "for_delegate": bool(ticket.delegate_id),
        "user_name": ticket.user.display_name if ticket.user_id else "",
        "team": ticket.support_team,
        "is_user_specified_location": ticket.style == RefreshStyle.USER_SPECIFIED_LOCATION,
        **extra,
    }


# --- invites, reminders, deadlines -------------------------------------------------
def invites_send_due(*, now: dt.datetime | None = None) -> int:
    """Send the invite of every pending_invite ticket whose invite time has come."""
    sent = 0
    for ticket_id in list(tickets_due_invite(now=now).values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            ticket = RefreshTicket.objects.select_for_update().filter(pk=ticket_id).first()
            if ticket is None or ticket.status != S.PENDING_INVITE:
                continue
            ticket = _ticket(ticket_id)
            email = ticket_customer_email(ticket)
            if email:
                email_queue(
                    key=f"refresh:invite:{ticket.pk}",
                    template="refresh_job_invite",
                    to=[email],
                    context=_context(
                        ticket,
                        link=customer_link(ticket, purpose="refresh_wizard", email=email),
                    ),
                    related=ticket,
                    reply_to=[ticket.support_team.email] if ticket.support_team_id else [],
                )
                sent += 1
            else:
                logger.warning("ticket %s has no customer email; invite not sent", ticket.pk)
            ticket_send_invite(ticket=ticket, job="invites")
    return sent


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """First (+5 business days) and second (+10) reminders, each sent once."""
    sent = 0
    for which, field in ((1, "first_reminder_sent_at"), (2, "second_reminder_sent_at")):
        ids = list(tickets_due_reminder(which=which, now=now).values_list("pk", flat=True)[:BATCH])
        for ticket_id in ids:
            with transaction.atomic():
                ticket = _ticket(ticket_id)
                if ticket is None or ticket.status != S.PENDING_CUSTOMER:
                    continue
                if not ticket_claim_once(ticket=ticket, field=field):
                    continue
                email = ticket_customer_email(ticket)
                if not email:
                    continue
                email_queue(
                    key=f"refresh:reminder{which}:{ticket.pk}",
                    template="refresh_job_reminder",
                    to=[email],
                    context=_context(
                        ticket,
                        which=which,
                        link=customer_link(ticket, purpose="refresh_wizard", email=email),
                    ),
                    related=ticket,
                )
                sent += 1
    return sent


def wizard_deadlines_apply(*, now: dt.datetime | None = None) -> int:
    """Customers who never finished by +14 business days: staff fill the location."""
    moved = 0
    for ticket in tickets_past_wizard_deadline(now=now)[:BATCH]:
        try:
            ticket_expire_wizard(ticket=ticket, job="wizard_deadlines")
            moved += 1
        except RefreshError:
            continue  # moved on meanwhile (submitted, held, cancelled)
    return moved


# --- the ITSM ticket -----------------------------------------------------------
def itsm_ticket_ensure(*, ticket_id: int) -> str | None:
    """Create the ITSM ticket (with its tasks) once per refresh ticket; link it.

    On-prem tickets also tell their support team on Slack, once.
    """
    ticket = _ticket(ticket_id)
    if ticket is None or ticket.status == S.CANCELLED:
        return None
    if not ticket.itsm_ticket_id:
        created = get_itsm_client().create_ticket(
            ticket=NewTicket(
                title=f"Device refresh {ticket.number}: {ticket.existing_system.serial_number}",
                description=(
                    f"Refresh of {ticket.existing_system} for "
                    f"{ticket.user.display_name if ticket.user_id else 'no customer'} "
                    f"({ticket.get_style_display()}), config {ticket.config.name}."
                ),
                requestor_email=ticket.user.email if ticket.user_id else "",
                account=str(ticket.config.organization) if ticket.config.organization_id else "",
                location=" ".join(
                    p for p in [ticket.existing_system.building, ticket.existing_system.room] if p
                ),
            ),
            task_titles=ITSM_TASK_TITLES,
            idempotency_key=f"handover-refresh-{ticket.pk}",
        )
        ticket = ticket_set_itsm_ticket(
            ticket=ticket, itsm_ticket_id=created.id, itsm_ticket_url=created.url, job="itsm"
        )
        ticket_record_event(
            ticket=ticket,
            kind=EventKind.ITSM_PUSHED,
            summary=f"ITSM ticket {created.id} created with {len(created.tasks)} tasks",
            payload={"itsm_ticket_id": created.id},
            actor_label="itsm",
            itsm_synced_at=timezone.now(),
        )
    if ticket.style == RefreshStyle.ON_PREM and ticket.support_team_id:
        slack_notify_team(ticket=ticket)
    return ticket.itsm_ticket_id


def slack_notify_team(*, ticket: RefreshTicket) -> bool:
    from integrations.slack import get_slack_client

    if ticket.slack_notified_at or not ticket_claim_once(ticket=ticket, field="slack_notified_at"):
        return False
    get_slack_client().post_message(
        team=ticket.support_team,
        text=(
            f"New on-site refresh {ticket.number} for {ticket.user or 'no customer'}: "
            f"{ticket.existing_system} — ITSM ticket {ticket.itsm_ticket_id}."
        ),
        idempotency_key=f"refresh-slack-{ticket.pk}",
    )
    return True


# --- replacement assigned: Mac engineering, Windows prestage ------------------
def replacement_assigned(*, ticket_id: int) -> None:
    ticket = _ticket(ticket_id)
    if ticket is None or ticket.replacement_system is None:
        return
    platform = ticket.replacement_system.platform
    if platform == "mac" and ticket.style == RefreshStyle.REMOTE:
        if ticket_claim_once(ticket=ticket, field="mac_engineering_notified_at"):
            email_queue(
                key=f"refresh:mac-engineering:{ticket.pk}",
                template="refresh_job_mac_engineering",
                to=[settings.MAC_ENGINEERING_EMAIL],
                context=_context(ticket),
                related=ticket,
            )
    elif platform == "windows" and not ticket.prestage_closed_at:
        itsm_id = ticket.itsm_ticket_id or itsm_ticket_ensure(ticket_id=ticket.pk)
        if not itsm_id:
            return
        client = get_itsm_client()
        task = next(
            (t for t in client.get_ticket(ticket_id=itsm_id).tasks if t.title == PRESTAGE_TASK),
            None,
        )
        if task is not None:
            client.complete_task(
                ticket_id=itsm_id, task_id=task.id, comment="Prestaged automatically (Windows)."
            )
        if ticket_claim_once(ticket=ticket, field="prestage_closed_at"):
            ticket_record_event(
                ticket=ticket,
                kind=EventKind.ITSM_PUSHED,
                summary="Windows prestage task closed automatically",
                actor_label="itsm",
                itsm_synced_at=timezone.now(),
            )


# --- existence lookups ---------------------------------------------------------
def itsm_existence_lookup(*, ticket_id: int) -> bool:
    """Ask the ITSM whether it knows the replacement; found → by-style routing.

    Returns True when the ticket advanced. A transient error is recorded on the
    ticket (Problems tab) and re-raised so the task retries.
    """
    ticket = _ticket(ticket_id)
    if ticket is None or ticket.status != S.PENDING_ITSM_EXISTENCE:
        return False
    serial = ticket.replacement_system.serial_number if ticket.replacement_system_id else ""
    if not serial:
        ticket_itsm_lookup_failed(ticket=ticket, error="No replacement system assigned.")
        return False
    try:
        asset = get_itsm_client().find_asset_by_serial(serial_number=serial)
    except TransientITSMError as exc:
        ticket_itsm_lookup_failed(ticket=ticket, error=f"ITSM unavailable: {exc}")
        raise
    except PermanentITSMError as exc:
        ticket_itsm_lookup_failed(ticket=ticket, error=f"ITSM refused the lookup: {exc}")
        return False
    if asset is None:
        ticket_itsm_lookup_failed(ticket=ticket, error=f"{serial} is not in the ITSM yet.")
        return False
    try:
        ticket_itsm_found(ticket=ticket, job="itsm_existence")
    except RefreshError:
        return False
    ticket_record_event(
        ticket=ticket,
        kind=EventKind.ITSM_SEEN,
        summary=f"Replacement {serial} found in the ITSM (asset {asset.id})",
        payload={"asset_id": asset.id},
        actor_label="itsm_existence",
        itsm_synced_at=timezone.now(),
    )
    return True


LOOKUP_BATCH = 50


def itsm_existence_sweep() -> int:
    """Queue the lookups of every waiting ticket in batches of LOOKUP_BATCH (a task each).

    The batches run concurrently on the workers; each writes its not-found
    results in one UPDATE.
    """
    from refresh.tasks import itsm_existence_lookup_batch_task

    ids = list(tickets_awaiting_itsm_existence().values_list("pk", flat=True))
    for start in range(0, len(ids), LOOKUP_BATCH):
        itsm_existence_lookup_batch_task.delay(ids[start : start + LOOKUP_BATCH])
    return len(ids)


def itsm_existence_lookup_batch(*, ticket_ids: list[int]) -> dict[str, int]:
    """Look up a batch of waiting tickets; found ones advance (one transition each),
    the rest get their attempt recorded together in one UPDATE.

    An ITSM outage stops the batch: the unasked tickets are marked as waiting on
    the ITSM and the next sweep asks again. Nothing is lost.
    """
    from django.db.models import F

    tickets = list(
        RefreshTicket.objects.filter(pk__in=ticket_ids, status=S.PENDING_ITSM_EXISTENCE)
        .select_related("replacement_system")
        .only("pk", "status", "replacement_system__serial_number")
        .order_by("pk")
    )
    client = get_itsm_client()
    found: list[tuple[RefreshTicket, str, str]] = []
    missing: list[int] = []
    outage: list[int] = []
    error = ""
    for index, ticket in enumerate(tickets):
        serial = ticket.replacement_system.serial_number if ticket.replacement_system_id else ""
        if not serial:
            missing.append(ticket.pk)
            continue
        try:
            asset = client.find_asset_by_serial(serial_number=serial)
        except TransientITSMError as exc:
            outage = [t.pk for t in tickets[index:]]
            error = f"ITSM unavailable: {exc}"
            break
        except PermanentITSMError:
            missing.append(ticket.pk)
            continue
        if asset is None:
            missing.append(ticket.pk)
        else:
            found.append((ticket, serial, asset.id))

    now = timezone.now()
    for ids, message in (
        (missing, "The replacement is not in the ITSM yet (or has no serial number)."),
        (outage, error),
    ):
        if ids:
            RefreshTicket.objects.filter(pk__in=ids, status=S.PENDING_ITSM_EXISTENCE).update(
                itsm_lookup_attempts=F("itsm_lookup_attempts") + 1,
                itsm_lookup_error=message[:2000],
                itsm_last_checked_at=now,
                updated_at=now,
            )
    advanced = 0
    for ticket, serial, asset_id in found:
        try:
            ticket = ticket_itsm_found(ticket=ticket.pk, job="itsm_existence")
        except RefreshError:
            continue
        ticket_record_event(
            ticket=ticket,
            kind=EventKind.ITSM_SEEN,
            summary=f"Replacement {serial} found in the ITSM (asset {asset_id})",
            payload={"asset_id": asset_id},
            actor_label="itsm_existence",
            itsm_synced_at=now,
        )
        advanced += 1
    return {"found": advanced, "missing": len(missing), "waiting_on_itsm": len(outage)}


# --- slot discovery ------------------------------------------------------------
def slot_discovery_run(*, now: dt.datetime | None = None) -> int:
    """Advance each team's waiting tickets, oldest first, as far as free capacity allows.

    Free capacity is the team's free places in the bookable window minus the
    tickets already offered slots (pending_customer_scheduling): two queries
    for all teams, then one update per advanced ticket.
    """
    from django.db.models import Count

    from scheduling.selectors import bookable_window, free_capacity_by_team

    waiting: dict[int, list[int]] = defaultdict(list)
    for ticket_id, team_id in tickets_awaiting_slot_discovery().values_list(
        "pk", "support_team_id"
    ):
        waiting[team_id].append(ticket_id)
    if not waiting:
        return 0
    start, end = bookable_window(now=now)
    free = free_capacity_by_team(team_ids=list(waiting), start=start, end=end)
    offered = dict(
        RefreshTicket.objects.filter(
            status=S.PENDING_CUSTOMER_SCHEDULING, support_team_id__in=list(waiting)
        )
        .values_list("support_team_id")
        .annotate(n=Count("pk"))
    )
    advanced = 0
    for team_id, ticket_ids in waiting.items():
        room = max(free.get(team_id, 0) - offered.get(team_id, 0), 0)
        for ticket_id in ticket_ids[:room]:
            try:
                ticket_slot_discovered(ticket=ticket_id, job="slot_discovery")
                advanced += 1
            except RefreshError:
                continue
    return advanced


# --- emails tied to transitions -------------------------------------------------
def pick_slot_email_send(*, ticket_id: int, rescheduling: bool = False) -> bool:
    ticket = _ticket(ticket_id)
    if ticket is None or ticket.status != S.PENDING_CUSTOMER_SCHEDULING:
        return False
    email = ticket_customer_email(ticket)
    if not email:
        return False
    stamp = f"{ticket.status_changed_at.timestamp():.6f}"
    return bool(
        email_queue(
            key=f"refresh:pick-slot:{ticket.pk}:{stamp}",
            template="refresh_job_pick_slot",
            to=[email],
            context=_context(
                ticket,
                rescheduling=rescheduling,
                link=customer_link(ticket, purpose="refresh_pick_slot", email=email),
            ),
            related=ticket,
        )
    )


def wizard_submitted_send(*, ticket_id: int) -> int:
    """Confirm a submitted wizard to the customer; ask the config's approvers when needed.

    Keys carry the submission time, so a ticket returned and submitted again is
    confirmed again, and a retried task sends nothing twice.
    """
    ticket = _ticket(ticket_id)
    if ticket is None or ticket.wizard_submitted_at is None:
        return 0
    stamp = f"{ticket.wizard_submitted_at.timestamp():.6f}"
    sent = 0
    email = ticket_customer_email(ticket)
    if email and email_queue(
        key=f"refresh:submitted:{ticket.pk}:{stamp}",
        template="refresh_job_submitted",
        to=[email],
        context=_context(ticket, needs_approval=ticket.status == S.PENDING_APPROVAL),
        related=ticket,
    ):
        sent += 1
    if ticket.status == S.PENDING_APPROVAL:
        for approver in ticket.config.approvers.filter(is_active=True):
            if email_queue(
                key=f"refresh:approval-needed:{ticket.pk}:{approver.pk}:{stamp}",
                template="refresh_job_approval_needed",
                to=[approver.email],
                context={
                    "ticket": ticket,
                    "approver": approver,
                    "user_name": ticket.user.display_name if ticket.user_id else "",
                    "link": f"{settings.SITE_URL}/refresh/approvals/",
                },
                related=ticket,
            ):
                sent += 1
    return sent


def tracking_email_send(*, ticket_id: int) -> bool:
    ticket = _ticket(ticket_id)
    if ticket is None or ticket.status != S.PENDING_DELIVERY:
        return False
    email = ticket_customer_email(ticket)
    if not email:
        return False
    return bool(
        email_queue(
            key=f"refresh:tracking:{ticket.pk}",
            template="refresh_job_tracking",
            to=[email],
            context=_context(ticket),
            related=ticket,
        )
    )


def appointment_booked(*, ticket_id: int, moved: bool = False) -> None:
    """A day-1 appointment is set (booked, moved, or no_customer's generic 12 AM one).

    The ITSM ticket always gets the appointment. The customer gets a confirmation
    with a calendar invite and a link to change it: "booked" for a first booking,
    "new time" when the booking moved (by staff or by the customer's own change).
    """
    from scheduling.ics import booking_ics

    ticket = _ticket(ticket_id)
    if ticket is None or ticket.status != S.DELIVERY_SCHEDULED:
        return
    booking = ticket.booking
    if ticket.itsm_ticket_id:
        when = (
            f"{timezone.localtime(ticket.delivery_at):%a %b %-d %Y %-I:%M %p}"
            if ticket.delivery_at
            else "set"
        )
        booking_key = f"{booking.pk}-{booking.slot_id}" if booking else "generic"
        get_itsm_client().update_ticket(
            ticket_id=ticket.itsm_ticket_id,
            comment=f"Day-1 appointment: {when}",
            appointment_start=booking.slot.start if booking else ticket.delivery_at,
            appointment_end=booking.slot.end if booking else ticket.delivery_at,
            idempotency_key=f"handover-refresh-{ticket.pk}-booking-{booking_key}",
        )
        _comment_delivery_task(ticket, f"Day-1 appointment: {when}")
    email = ticket_customer_email(ticket)
    if booking is None or not email:
        return
    location = (
        " ".join(p for p in [ticket.location_building, ticket.location_room] if p)
        or ticket.config.unit_specified_location
    )
    email_queue(
        key=f"refresh:{'new-appointment' if moved else 'booked'}:{booking.pk}",
        template="refresh_job_new_appointment" if moved else "refresh_job_booked",
        to=[email],
        context=_context(
            ticket,
            booking=booking,
            location=location,
            link=customer_link(ticket, purpose="refresh_reschedule", email=email),
        ),
        related=ticket,
        attachments=[
            Attachment(
                filename="appointment.ics",
                content=booking_ics(
                    booking=booking,
                    summary=f"New computer delivery ({ticket.number})",
                    description=f"Your IT team delivers your new computer. Location: {location}",
                    attendee_email=email,
                ),
                mimetype="text/calendar",
            )
        ],
    )


def itsm_reschedule_update(*, ticket_id: int, reason: str) -> None:
    ticket = _ticket(ticket_id)
    if ticket is None or not ticket.itsm_ticket_id:
        return
    text = "The day-1 appointment was released; the customer is picking a new slot."
    get_itsm_client().update_ticket(
        ticket_id=ticket.itsm_ticket_id,
        comment=text,
        idempotency_key=(
            f"handover-refresh-{ticket.pk}-reschedule-{ticket.status_changed_at.timestamp():.6f}"
        ),
    )
    _comment_delivery_task(ticket, text)


def _comment_delivery_task(ticket: RefreshTicket, text: str) -> None:
    """Tell the ITSM's delivery task about an appointment change (tasks follow the ticket)."""
    client = get_itsm_client()
    task = next(
        (
            t
            for t in client.get_ticket(ticket_id=ticket.itsm_ticket_id).tasks
            if t.title == DELIVERY_TASK
        ),
        None,
    )
    if task is not None and not task.completed:
        client.comment_task(ticket_id=ticket.itsm_ticket_id, task_id=task.id, comment=text)


def event_push(*, event_id: int) -> None:
    """Push a changed location or a change request to the ITSM, once."""
    from refresh.models import RefreshTicketEvent
    from refresh.services import ticket_event_mark_synced

    event = RefreshTicketEvent.objects.select_related("ticket").filter(pk=event_id).first()
    if event is None or event.itsm_synced_at is not None:
        return
    ticket = event.ticket
    client = get_itsm_client()
    if event.kind == EventKind.CHANGED_LOCATION:
        client.open_changed_location_ticket(
            related_ticket_id=ticket.itsm_ticket_id,
            requestor_email=ticket_customer_email(ticket) or "",
            old_location=str(event.payload.get("old", "")),
            new_location=str(event.payload.get("new", event.summary)),
            idempotency_key=f"handover-event-{event.pk}",
        )
    elif event.kind == EventKind.CHANGE_REQUEST and ticket.itsm_ticket_id:
        client.file_change_request(
            ticket_id=ticket.itsm_ticket_id,
            text=event.summary,
            requested_by=str(event.created_by or event.actor_label),
            idempotency_key=f"handover-event-{event.pk}",
        )
    else:
        return
    ticket_event_mark_synced(event=event)


# --- polling and digests ----------------------------------------------------------
def itsm_poll() -> dict[str, int]:
    """Installed → installed; closed → complete. One ITSM call per ticket polled."""
    client = get_itsm_client()
    counts = {"installed": 0, "complete": 0}
    for ticket in tickets_for_itsm_poll().iterator(chunk_size=BATCH):
        try:
            state = client.get_ticket_status(ticket_id=ticket.itsm_ticket_id)
        except PermanentITSMError as exc:
            logger.warning("ITSM poll of %s failed: %s", ticket.number, exc)
            continue
        try:
            if state.installed and ticket.status in (S.DELIVERY_SCHEDULED, S.PENDING_DELIVERY):
                ticket = ticket_mark_installed(ticket=ticket, job="itsm_poll")
                counts["installed"] += 1
            if state.closed and ticket.status == S.INSTALLED:
                ticket_mark_complete(ticket=ticket, job="itsm_poll")
                counts["complete"] += 1
        except RefreshError:
            continue
    return counts


def approver_digests_send(*, today: dt.date | None = None) -> int:
    """Every approver with tickets gets one email a week listing them by status."""
    from accounts.models import User

    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    rows = (
        RefreshTicket.objects.filter(config__approvers__isnull=False)
        .exclude(status__in=[S.COMPLETE, S.CANCELLED])
        .values_list("config__approvers", "status")
    )
    by_approver: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for approver_id, status in rows:
        by_approver[approver_id][status] += 1
    sent = 0
    for approver in User.objects.filter(pk__in=list(by_approver), is_active=True):
        counts = by_approver[approver.pk]
        lines = [(S(status).label, n) for status, n in sorted(counts.items())]
        if email_queue(
            key=f"refresh:digest:{approver.pk}:{year}-W{week:02d}",
            template="refresh_job_digest",
            to=[approver.email],
            context={
                "approver": approver,
                "lines": lines,
                "awaiting": counts.get(S.PENDING_APPROVAL, 0),
                "link": f"{settings.SITE_URL}/refresh/approvals/",
            },
            related=approver,
        ):
            sent += 1
    return sent
