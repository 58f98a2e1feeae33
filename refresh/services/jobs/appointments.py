"""Jobs around the day-1 appointment: offering slots as capacity frees up, and
telling the ITSM and the customer when an appointment is set or moved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from integrations.itsm import get_itsm_client
from notifications.selectors import email_logged
from notifications.services import Attachment, email_queue
from refresh.choices import TicketStatus as S
from refresh.exceptions import RefreshError
from refresh.models import RefreshTicket
from refresh.selectors import (
    ticket_customer_email,
    tickets_awaiting_slot_discovery,
    tickets_due_appointment_reminder,
)
from refresh.services.tickets import ticket_slot_discovered
from scheduling.ics import booking_ics
from scheduling.selectors import bookable_window, free_capacity_by_team

from ._common import (
    BATCH,
    customer_link,
    delivery_location,
    email_context,
    itsm_comment_delivery_task,
    itsm_ticket_required,
    ticket_for_job,
)


def tickets_discover_slots(*, now: dt.datetime | None = None) -> int:
    """Advance each team's waiting tickets, oldest first, as far as free capacity allows.

    Free capacity is the team's free places in the bookable window minus the
    tickets already offered slots (pending_customer_scheduling): two queries
    for all teams, then one update per advanced ticket.
    """

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


def ticket_appointment_itsm_push(*, ticket_id: int) -> None:
    """Tell the ITSM ticket (and its delivery task) the day-1 appointment that is set now.

    Waits for the ITSM ticket (``EffectNotReady`` until the sibling create effect
    linked it: retried, never skipped). Keyed on the booking and its slot, so a
    second run for the same appointment does nothing; a later run after another
    move pushes the newest appointment.
    """
    ticket = ticket_for_job(ticket_id)
    if ticket is None or ticket.status != S.DELIVERY_SCHEDULED:
        return
    if not itsm_ticket_required(ticket):
        return
    booking = ticket.booking
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
    itsm_comment_delivery_task(ticket, f"Day-1 appointment: {when}")


def ticket_appointment_booked_notify(*, ticket_id: int, moved: bool = False) -> None:
    """A day-1 appointment is set: the customer's confirmation (the ITSM push is
    its own effect, ``ticket_appointment_itsm_push``, so the email never waits
    for the ITSM ticket).

    A calendar invite and a link to change it: "booked" for a first booking,
    "new time" when the booking moved (by staff or by the customer's own change).
    """
    ticket = ticket_for_job(ticket_id)
    if ticket is None or ticket.status != S.DELIVERY_SCHEDULED:
        return
    booking = ticket.booking
    email = ticket_customer_email(ticket)
    if booking is None or not email:
        return
    key = f"refresh:{'new-appointment' if moved else 'booked'}:{booking.pk}"
    if email_logged(key=key):
        return  # a retry: a fresh link now would revoke the one already emailed
    email_queue(
        key=key,
        template="refresh_job_new_appointment" if moved else "refresh_job_booked",
        to=[email],
        context=email_context(
            ticket,
            booking=booking,
            link=customer_link(ticket, purpose="refresh_reschedule", email=email),
        ),
        related=ticket,
        attachments=[_appointment_ics(ticket, booking=booking, email=email)],
    )


def _appointment_ics(ticket: RefreshTicket, *, booking, email: str) -> Attachment:
    return Attachment(
        filename="appointment.ics",
        content=booking_ics(
            booking=booking,
            summary=f"New computer delivery ({ticket.number})",
            description=(
                f"Your IT team delivers your new computer. Location: {delivery_location(ticket)}"
            ),
            attendee_email=email,
        ),
        mimetype="text/calendar",
    )


def tickets_send_appointment_reminders(*, now: dt.datetime | None = None) -> int:
    """One reminder on the business day before day 1 (from 10:05), to the customer
    or delegate: time, place, what to prepare, the .ics and, while rescheduling is
    still open, the reschedule link.

    Keyed on the booking: never twice for one appointment; a cancelled or moved
    booking is no longer the ticket's active one, so it is never reminded of;
    no-customer tickets never get one.
    """
    sent = 0
    for ticket_id in list(
        tickets_due_appointment_reminder(now=now).values_list("pk", flat=True)[:BATCH]
    ):
        ticket = ticket_for_job(ticket_id)
        booking = ticket.booking if ticket is not None else None
        if booking is None or booking.cancelled_at is not None:
            continue
        email = ticket_customer_email(ticket)
        if not email:
            continue
        key = f"refresh:appointment-reminder:{booking.pk}"
        if email_logged(key=key):
            continue
        can_reschedule = timezone.localdate() < timezone.localdate(booking.slot.start)
        if email_queue(
            key=key,
            template="refresh_job_appointment_reminder",
            to=[email],
            context=email_context(
                ticket,
                booking=booking,
                prepare=ticket.config.customer_message.strip(),
                link=(
                    customer_link(ticket, purpose="refresh_reschedule", email=email)
                    if can_reschedule
                    else ""
                ),
            ),
            related=ticket,
            attachments=[_appointment_ics(ticket, booking=booking, email=email)],
        ):
            sent += 1
    return sent
