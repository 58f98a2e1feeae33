"""Reads for the jobs (``refresh.services.jobs``): each sweeps by state in pk order."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import (
    RefreshTicket,
)
from scheduling.calendar import business_calendar

S = TicketStatus


# --- reads for the jobs (refresh/jobs.py): each sweeps by state in pk order ----------
def tickets_due_invite(*, now=None) -> QuerySet[RefreshTicket]:
    """pending_invite tickets whose invite time has come."""
    now = now or timezone.now()
    return RefreshTicket.objects.filter(status=S.PENDING_INVITE, invite_at__lte=now).order_by("pk")


def tickets_due_reminder(*, which: int, now=None) -> QuerySet[RefreshTicket]:
    """pending_customer tickets due their first (``which=1``) or second reminder, not sent."""
    now = now or timezone.now()
    field = "first_reminder" if which == 1 else "second_reminder"
    return RefreshTicket.objects.filter(
        status=S.PENDING_CUSTOMER,
        **{f"{field}_at__lte": now, f"{field}_sent_at__isnull": True},
    ).order_by("pk")


def tickets_past_wizard_deadline(*, now=None) -> QuerySet[RefreshTicket]:
    now = now or timezone.now()
    return RefreshTicket.objects.filter(status=S.PENDING_CUSTOMER, deadline_at__lte=now).order_by(
        "pk"
    )


def tickets_awaiting_itsm_existence() -> QuerySet[RefreshTicket]:
    return (
        RefreshTicket.objects.filter(status=S.PENDING_ITSM_EXISTENCE)
        .select_related("replacement_system", "existing_system")
        .order_by("pk")
    )


def tickets_awaiting_slot_discovery() -> QuerySet[RefreshTicket]:
    """Oldest first (discovery advances them in that order, team by team)."""
    return RefreshTicket.objects.filter(
        status=S.PENDING_SLOT_DISCOVERY, support_team__isnull=False
    ).order_by("support_team_id", "status_changed_at", "pk")


def tickets_for_itsm_poll() -> QuerySet[RefreshTicket]:
    """Tickets the daily ITSM poll checks for installed / closed."""
    return (
        RefreshTicket.objects.filter(
            status__in=[S.DELIVERY_SCHEDULED, S.PENDING_DELIVERY, S.INSTALLED]
        )
        .exclude(itsm_ticket_id="")
        .order_by("pk")
    )


def tickets_due_appointment_reminder(*, now=None) -> QuerySet[RefreshTicket]:
    """delivery_scheduled customer tickets whose day-1 appointment is on the next
    business day (or a closed day before it), booked before today's reminder time.

    From 10:05 local on the business day before: the customer mail of the morning.
    The booking must be the ticket's active one (cancelled and rescheduled
    bookings are never reminded of).
    """
    calendar = business_calendar()
    now = now or timezone.now()
    today = calendar.local(now).date()
    send_from = calendar.at(today, dt.time(10, 5))
    if now < send_from or not calendar.is_business_day(today):
        return RefreshTicket.objects.none()
    first = calendar.at(today + dt.timedelta(days=1), dt.time(0, 0))
    last = calendar.at(calendar.next_business_day(today) + dt.timedelta(days=1), dt.time(0, 0))
    return (
        RefreshTicket.objects.filter(
            status=S.DELIVERY_SCHEDULED,
            booking__cancelled_at__isnull=True,
            booking__slot__start__gte=first,
            booking__slot__start__lt=last,
            booking__created_at__lt=send_from,
        )
        .exclude(style=RefreshStyle.NO_CUSTOMER)
        .order_by("pk")
    )
