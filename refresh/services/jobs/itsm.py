"""Jobs that talk to the ITSM (and Slack): the ITSM ticket of each refresh
ticket, replacement automation, existence lookups, appointment changes, events,
and the status poll. Transient ITSM errors propagate so the calling task
retries with backoff; the database keeps the work waiting meanwhile.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from common.effects import enqueue_on_commit
from integrations.itsm import (
    NewTicket,
    PermanentITSMError,
    TransientITSMError,
    get_itsm_client,
)
from integrations.slack import get_slack_client
from notifications.services import email_queue
from refresh.choices import EventKind, RefreshStyle
from refresh.choices import TicketStatus as S
from refresh.exceptions import RefreshError
from refresh.models import RefreshTicket, RefreshTicketEvent
from refresh.selectors import (
    ticket_customer_email,
    tickets_awaiting_itsm_existence,
    tickets_for_itsm_poll,
)
from refresh.services.tickets import (
    ticket_claim_once,
    ticket_event_mark_synced,
    ticket_itsm_found,
    ticket_itsm_lookup_failed,
    ticket_mark_complete,
    ticket_mark_installed,
    ticket_record_event,
    ticket_set_itsm_ticket,
)

from ._common import (
    BATCH,
    ITSM_TASK_TITLES,
    PRESTAGE_TASK,
    email_context,
    itsm_comment_delivery_task,
    itsm_ticket_required,
    ticket_for_job,
)

logger = logging.getLogger(__name__)


def ticket_itsm_ticket_ensure(*, ticket_id: int) -> str | None:
    """Create the ITSM ticket (with its tasks) once per refresh ticket; link it.

    On-prem tickets also tell their support team on Slack, once.
    """
    ticket = ticket_for_job(ticket_id)
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
                requestor_name=ticket.user.display_name if ticket.user_id else "",
                support_team=ticket.support_team.name if ticket.support_team_id else "",
                building=ticket.existing_system.building,
                fields={
                    "number": ticket.number,
                    "serial_number": ticket.existing_system.serial_number,
                },
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
        ticket_slack_notify_team(ticket=ticket)
    return ticket.itsm_ticket_id


def ticket_slack_notify_team(*, ticket: RefreshTicket) -> bool:
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


def ticket_replacement_assigned_notify(*, ticket_id: int) -> None:
    """A replacement was assigned (order group, single edit, or bump-down at creation):
    a Mac for a remote ticket emails Mac Engineering; the ITSM ticket gets a note
    of the replacement and its group; a Windows one has the ITSM prestage task
    closed. The note and the prestage wait for the create effect's ITSM ticket."""
    ticket = ticket_for_job(ticket_id)
    if ticket is None or ticket.replacement_system is None:
        return
    replacement = ticket.replacement_system
    platform = replacement.platform
    # The email first: the ITSM note and the prestage below wait for the ITSM
    # ticket (EffectNotReady), the email does not (its key makes a retry a no-op).
    # One email per assigned Mac: a swap to another Mac emails again, the same
    # assignment (or a retried job) does not.
    if (
        platform == "mac"
        and ticket.style == RefreshStyle.REMOTE
        and email_queue(
            key=f"refresh:mac-engineering:{ticket.pk}:{replacement.pk}",
            template="refresh_job_mac_engineering",
            to=[settings.MAC_ENGINEERING_EMAIL],
            context=email_context(ticket),
            related=ticket,
        )
    ):
        RefreshTicket.objects.filter(pk=ticket.pk).update(
            mac_engineering_notified_at=timezone.now()
        )
    ticket_itsm_note_replacement(ticket=ticket)
    if platform == "windows" and not ticket.prestage_closed_at:
        itsm_id = itsm_ticket_required(ticket)
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


def ticket_itsm_note_replacement(*, ticket: RefreshTicket) -> None:
    """The ITSM ticket hears the replacement and the group it is placed in, once per
    (replacement, group): a swap or a changed group notes again."""
    replacement = ticket.replacement_system
    # The ITSM ticket is the create effect's alone (a second creator would race it
    # and add the tasks twice): wait for it.
    itsm_id = itsm_ticket_required(ticket)
    if not itsm_id or replacement is None:
        return
    group = ticket.group
    digest = hashlib.sha256(group.encode()).hexdigest()[:16]
    get_itsm_client().update_ticket(
        ticket_id=itsm_id,
        comment=(
            f"Replacement {replacement.serial_number} ({replacement.hardware_model}) assigned. "
            f"Group: {group or 'none set'}."
        ),
        idempotency_key=f"handover-replacement-{ticket.pk}-{replacement.pk}-{digest}",
    )


def ticket_itsm_existence_lookup(*, ticket_id: int) -> bool:
    """Ask the ITSM whether it knows the replacement; found → by-style routing.

    Returns True when the ticket advanced. A transient error is recorded on the
    ticket (Problems tab) and re-raised so the task retries.
    """
    ticket = ticket_for_job(ticket_id)
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


def tickets_itsm_existence_sweep() -> int:
    """Queue the lookups of every waiting ticket in batches of LOOKUP_BATCH (a task each).

    The batches run concurrently on the workers; each writes its not-found
    results in one UPDATE.
    """

    ids = list(tickets_awaiting_itsm_existence().values_list("pk", flat=True))
    for start in range(0, len(ids), LOOKUP_BATCH):
        enqueue_on_commit(
            "refresh.tasks.itsm_existence_lookup_batch_task",
            ticket_ids=ids[start : start + LOOKUP_BATCH],
        )
    return len(ids)


def tickets_itsm_existence_lookup_batch(*, ticket_ids: list[int]) -> dict[str, int]:
    """Look up a batch of waiting tickets; found ones advance (one transition each),
    the rest get their attempt recorded together in one UPDATE.

    An ITSM outage stops the batch: the unasked tickets are marked as waiting on
    the ITSM and the next sweep asks again. Nothing is lost.
    """
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


def ticket_itsm_reschedule_update(*, ticket_id: int, reason: str) -> None:
    ticket = ticket_for_job(ticket_id)
    if ticket is None or not itsm_ticket_required(ticket):
        return
    if reason == "slot_deleted":
        text = (
            "The day-1 slot was deleted by the slot admin; the appointment is cancelled and "
            "the customer is asked to pick a new slot."
        )
    else:
        text = "The day-1 appointment was released; the customer is picking a new slot."
    get_itsm_client().update_ticket(
        ticket_id=ticket.itsm_ticket_id,
        comment=text,
        idempotency_key=(
            f"handover-refresh-{ticket.pk}-reschedule-{ticket.status_changed_at.timestamp():.6f}"
        ),
    )
    itsm_comment_delivery_task(ticket, text)


def event_push_to_itsm(*, event_id: int) -> None:
    """Push a changed location or a change request to the ITSM, once."""

    event = RefreshTicketEvent.objects.select_related("ticket").filter(pk=event_id).first()
    if event is None or event.itsm_synced_at is not None:
        return
    ticket = event.ticket
    client = get_itsm_client()
    if event.kind == EventKind.CHANGED_LOCATION:
        client.open_changed_location_ticket(
            related_ticket_id=itsm_ticket_required(ticket) or "",
            requestor_email=ticket_customer_email(ticket) or "",
            old_location=str(event.payload.get("old", "")),
            new_location=str(event.payload.get("new", event.summary)),
            idempotency_key=f"handover-event-{event.pk}",
        )
    elif event.kind == EventKind.CHANGE_REQUEST and itsm_ticket_required(ticket):
        client.file_change_request(
            ticket_id=ticket.itsm_ticket_id,
            text=event.summary,
            requested_by=str(event.created_by or event.actor_label),
            idempotency_key=f"handover-event-{event.pk}",
        )
    else:
        return
    ticket_event_mark_synced(event=event)


def tickets_itsm_poll() -> dict[str, int]:
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
