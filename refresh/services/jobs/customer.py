"""Jobs that talk to the customer and the approvers: invites, reminders, the
wizard deadline, and the emails that follow transitions. Each is safe to run
twice: sweeps claim rows with conditional updates, emails carry unique keys.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from notifications.selectors import email_logged
from notifications.services import email_queue
from refresh.choices import TicketStatus as S
from refresh.exceptions import RefreshError
from refresh.models import RefreshTicket
from refresh.selectors import (
    ticket_customer_email,
    tickets_due_invite,
    tickets_due_reminder,
    tickets_past_wizard_deadline,
)
from refresh.services.tickets import ticket_claim_once, ticket_expire_wizard, ticket_send_invite

from ._common import BATCH, customer_link, email_context, ticket_for_job

logger = logging.getLogger(__name__)


def tickets_send_due_invites(*, now: dt.datetime | None = None) -> int:
    """Send the invite of every pending_invite ticket whose invite time has come."""
    sent = 0
    for ticket_id in list(tickets_due_invite(now=now).values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            ticket = RefreshTicket.objects.select_for_update().filter(pk=ticket_id).first()
            if ticket is None or ticket.status != S.PENDING_INVITE:
                continue
            ticket = ticket_for_job(ticket_id)
            email = ticket_customer_email(ticket)
            if email:
                email_queue(
                    key=f"refresh:invite:{ticket.pk}",
                    template="refresh_job_invite",
                    to=[email],
                    context=email_context(
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


def tickets_send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """First (+5 business days) and second (+10) reminders, each sent once."""
    sent = 0
    for which, field in ((1, "first_reminder_sent_at"), (2, "second_reminder_sent_at")):
        ids = list(tickets_due_reminder(which=which, now=now).values_list("pk", flat=True)[:BATCH])
        for ticket_id in ids:
            with transaction.atomic():
                ticket = ticket_for_job(ticket_id)
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
                    context=email_context(
                        ticket,
                        which=which,
                        link=customer_link(ticket, purpose="refresh_wizard", email=email),
                    ),
                    related=ticket,
                )
                sent += 1
    return sent


def tickets_expire_past_wizard_deadline(*, now: dt.datetime | None = None) -> int:
    """Customers who never finished by +14 business days: staff fill the location."""
    moved = 0
    for ticket in tickets_past_wizard_deadline(now=now)[:BATCH]:
        try:
            ticket_expire_wizard(ticket=ticket, job="wizard_deadlines")
            moved += 1
        except RefreshError:
            continue  # moved on meanwhile (submitted, held, cancelled)
    return moved


def ticket_send_pick_slot_email(
    *, ticket_id: int, rescheduling: bool = False, reason: str = ""
) -> bool:
    """Ask the customer to pick a day-1 slot (again, after a release or a deleted slot)."""
    ticket = ticket_for_job(ticket_id)
    if ticket is None or ticket.status != S.PENDING_CUSTOMER_SCHEDULING:
        return False
    email = ticket_customer_email(ticket)
    if not email:
        return False
    stamp = f"{ticket.status_changed_at.timestamp():.6f}"
    key = f"refresh:pick-slot:{ticket.pk}:{stamp}"
    if email_logged(key=key):
        return False  # a retry: a fresh link now would revoke the one already emailed
    return bool(
        email_queue(
            key=key,
            template="refresh_job_pick_slot",
            to=[email],
            context=email_context(
                ticket,
                rescheduling=rescheduling,
                slot_deleted=reason == "slot_deleted",
                link=customer_link(ticket, purpose="refresh_pick_slot", email=email),
            ),
            related=ticket,
        )
    )


def ticket_send_wizard_submitted(*, ticket_id: int) -> int:
    """Confirm a submitted wizard to the customer; ask the config's approvers when needed.

    Keys carry the submission time, so a ticket returned and submitted again is
    confirmed again, and a retried task sends nothing twice.
    """
    ticket = ticket_for_job(ticket_id)
    if ticket is None or ticket.wizard_submitted_at is None:
        return 0
    stamp = f"{ticket.wizard_submitted_at.timestamp():.6f}"
    sent = 0
    email = ticket_customer_email(ticket)
    if email and email_queue(
        key=f"refresh:submitted:{ticket.pk}:{stamp}",
        template="refresh_job_submitted",
        to=[email],
        context=email_context(ticket, needs_approval=ticket.status == S.PENDING_APPROVAL),
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


def ticket_send_tracking_email(*, ticket_id: int) -> bool:
    """One email when both the replacement and the tracking number are known.

    Runs when the ticket reaches pending_delivery and whenever staff enter or
    change the number. Under the row lock it compares the number with the one
    last emailed: the same number sends nothing; a different one sends a
    correction naming both. Keyed per (number, previous): a retry sends nothing.
    """
    with transaction.atomic():
        locked = RefreshTicket.objects.select_for_update().filter(pk=ticket_id).first()
        if locked is None or locked.status != S.PENDING_DELIVERY:
            return False
        ticket = ticket_for_job(ticket_id)
        number, previous = ticket.tracking_number, ticket.tracking_emailed_number
        if not number or not ticket.replacement_system_id or number == previous:
            return False
        email = ticket_customer_email(ticket)
        if not email:
            return False
        queued = email_queue(
            key=f"refresh:tracking:{ticket.pk}:{number}:{previous}",
            template="refresh_job_tracking",
            to=[email],
            context=email_context(
                ticket,
                replacement=ticket.replacement_system,
                tracking_url=ticket.tracking_url,
                carrier=ticket.get_tracking_carrier_display(),
                previous_number=previous,
            ),
            related=ticket,
        )
        RefreshTicket.objects.filter(pk=ticket.pk).update(tracking_emailed_number=number)
    return bool(queued)


def approvers_send_digests(*, today: dt.date | None = None) -> int:
    """The Friday status report: one email a week per approver with open tickets.

    Per config the approver is on, the open tickets grouped by status (the ones
    waiting for this approver first), each with its number, customer, system
    and days in status, linking to its approver page. Keyed per approver and ISO
    week: at most one a week.
    """
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    now = timezone.now()
    tickets = (
        RefreshTicket.objects.filter(config__approvers__isnull=False)
        .exclude(status__in=[S.COMPLETE, S.CANCELLED])
        .select_related("config", "user", "existing_system")
        .annotate(approver_id=F("config__approvers"))
        .order_by("config__name", "config_id", "status_changed_at", "pk")
    )
    by_approver: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for ticket in tickets:
        by_approver[ticket.approver_id][ticket.config][ticket.status].append(
            {
                "number": ticket.number,
                "customer": ticket.user.display_name if ticket.user_id else "No customer",
                "system": ticket.existing_system.serial_number,
                "days": max((now - ticket.status_changed_at).days, 0),
                "link": f"{settings.SITE_URL}/refresh/approvals/{ticket.pk}/edit/",
            }
        )
    order = [S.PENDING_APPROVAL, *[s for s in S if s != S.PENDING_APPROVAL]]
    sent = 0
    for approver in User.objects.filter(pk__in=list(by_approver), is_active=True):
        configs = []
        awaiting = 0
        for config, statuses in by_approver[approver.pk].items():
            groups = [
                {"label": S(status).label, "tickets": statuses[status]}
                for status in order
                if statuses.get(status)
            ]
            awaiting += len(statuses.get(S.PENDING_APPROVAL, []))
            configs.append({"name": config.name, "groups": groups})
        if email_queue(
            key=f"refresh:digest:{approver.pk}:{year}-W{week:02d}",
            template="refresh_job_digest",
            to=[approver.email],
            context={
                "approver": approver,
                "configs": configs,
                "awaiting": awaiting,
                "link": f"{settings.SITE_URL}/refresh/approvals/",
            },
            related=approver,
        ):
            sent += 1
    return sent
