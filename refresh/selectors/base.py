"""What every refresh read builds on: who may see tickets, the customer's
address, what makes a ticket a problem, the list queryset.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from common.selectors import effects_failing_for
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import (
    RefreshTicket,
)

S = TicketStatus


# A ticket waiting this long for the ITSM to know its replacement is a problem.
ITSM_EXISTENCE_STALE_AFTER = dt.timedelta(days=3)


# The first failed ITSM existence lookup makes a problem (the Otto process), even
# before the wait is stale.
ITSM_LOOKUP_ATTEMPTS_PROBLEM = 1


def ticket_customer_email(ticket: RefreshTicket) -> str | None:
    """Where customer emails go: the delegate first, else the user; never for no-customer."""
    if ticket.style == RefreshStyle.NO_CUSTOMER:
        return None
    person = ticket.delegate if ticket.delegate_id else ticket.user
    if person is None or not person.is_active or not person.email:
        return None
    return person.email


def _problems_q(now: dt.datetime | None = None) -> Q:
    # To the minute: the list's cached page count is keyed by its SQL, which must
    # not change on every request (a lookup turns stale at most a minute late).
    now = now or timezone.now().replace(second=0, microsecond=0)
    return (
        Q(status=S.PENDING_LOCATION_INFO)
        | Q(
            status=S.PENDING_ITSM_EXISTENCE,
            status_changed_at__lt=now - ITSM_EXISTENCE_STALE_AFTER,
        )
        | Q(
            status=S.PENDING_ITSM_EXISTENCE,
            itsm_lookup_attempts__gte=ITSM_LOOKUP_ATTEMPTS_PROBLEM,
        )
        # Its effects (ITSM ticket, appointment push, ...) keep failing (the outbox).
        | Q(pk__in=ticket_effects_failing().values("target_id"))
    )


def ticket_effects_failing():
    """The refresh tickets' effects that failed, keep failing or were abandoned."""
    return effects_failing_for(target_kind="ticket", task_prefix="refresh.")


def problem_reason(ticket: RefreshTicket, now: dt.datetime | None = None) -> str:
    """Why a ticket is in the Problems tab ('' when it is not)."""
    now = now or timezone.now()
    if ticket.status == S.PENDING_LOCATION_INFO:
        return "The customer never finished the wizard: fill the location form."
    if ticket.status == S.PENDING_ITSM_EXISTENCE:
        if ticket.itsm_lookup_attempts >= ITSM_LOOKUP_ATTEMPTS_PROBLEM:
            times = (
                "once"
                if ticket.itsm_lookup_attempts == 1
                else (f"{ticket.itsm_lookup_attempts} times")
            )
            error = f" Last error: {ticket.itsm_lookup_error}" if ticket.itsm_lookup_error else ""
            return f"The ITSM existence lookup failed {times}.{error}"
        if ticket.status_changed_at < now - ITSM_EXISTENCE_STALE_AFTER:
            return "The ITSM has not known the replacement for more than 3 days."
    return ""


def _base_list_queryset() -> QuerySet[RefreshTicket]:
    return RefreshTicket.objects.select_related(
        "existing_system",
        "user",
        "delegate",
        "support_team",
        "config",
        "batch",
        "replacement_system",
    ).defer("wizard_progress", "itsm_lookup_error", "none_fits_reason", "inadequate_reason")
