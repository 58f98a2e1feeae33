"""Status history for seeded tickets: the audit rows real use would have left.

``seed_scale`` and the benchmarks' own seeds write tickets without audit rows,
so anything that reads the history (the refresh dashboard's installs per week
and days per status) was never measured at size. ``ticket_history_seed`` gives
every ticket the transitions that lead to its current status, one audit row
each as the transition runner writes it (from, to, when, the stay it ends),
written with ``COPY`` (``common.bulk.bulk_insert``):

* the path follows the ticket's style: invite, wizard, approval (half the
  tickets), ordering, ITSM, then slots and a booked day 1 on site, or
  shipping for remote tickets, installed, complete; a cancelled ticket stops
  part way, a ticket on hold was held on the way, a
  ``pending_location_info`` one never finished the wizard;
* each stay is drawn (seeded, so runs repeat) from a range typical for its
  status, so the last transition lands on the ticket's ``status_changed_at``
  and the history starts earlier: the ticket's ``created_at`` is moved back
  to its first row, spreading the campaign over a few months.

A complete on-site ticket gets 9 or 10 rows (without or with approval), a
remote one 7 or 8; at ``seed_scale``'s mix (one ticket in five open) that is
7.6 per ticket, 760k rows for 100k tickets. For benchmarks only.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterable

from django.db import connection, transaction

from common.bulk import bulk_insert
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket, RefreshTicketAudit

S = TicketStatus
JOB = "history seed"
BATCH = 10000

# What a person or job did to enter each status (the transition's name).
_ACTION = {
    S.PENDING_CUSTOMER: "send_invite",
    S.PENDING_LOCATION_INFO: "expire_wizard",
    S.PENDING_APPROVAL: "submit_wizard",
    S.PENDING_ORDERING: "approve",
    S.PENDING_ITSM_EXISTENCE: "advance_with_replacement",
    S.PENDING_SLOT_DISCOVERY: "itsm_found",
    S.PENDING_DELIVERY: "itsm_found",
    S.PENDING_CUSTOMER_SCHEDULING: "slot_discovered",
    S.DELIVERY_SCHEDULED: "book_slot",
    S.INSTALLED: "mark_installed",
    S.COMPLETE: "mark_complete",
    S.ON_HOLD: "hold",
    S.CANCELLED: "cancel",
}
# Days a ticket typically stays in each status (low, high).
_STAY_DAYS = {
    S.PENDING_INVITE: (0.2, 2),
    S.PENDING_CUSTOMER: (0.5, 14),
    S.PENDING_LOCATION_INFO: (1, 6),
    S.PENDING_APPROVAL: (0.5, 7),
    S.PENDING_ORDERING: (2, 21),
    S.PENDING_ITSM_EXISTENCE: (0.05, 2),
    S.PENDING_SLOT_DISCOVERY: (0.5, 5),
    S.PENDING_CUSTOMER_SCHEDULING: (0.5, 7),
    S.DELIVERY_SCHEDULED: (1, 10),
    S.PENDING_DELIVERY: (2, 6),
    S.INSTALLED: (0.5, 5),
    S.ON_HOLD: (1, 15),
}
_REMOTE = (
    S.PENDING_INVITE,
    S.PENDING_CUSTOMER,
    S.PENDING_APPROVAL,
    S.PENDING_ORDERING,
    S.PENDING_ITSM_EXISTENCE,
    S.PENDING_DELIVERY,
    S.INSTALLED,
    S.COMPLETE,
)
_ON_SITE = (
    S.PENDING_INVITE,
    S.PENDING_CUSTOMER,
    S.PENDING_APPROVAL,
    S.PENDING_ORDERING,
    S.PENDING_ITSM_EXISTENCE,
    S.PENDING_SLOT_DISCOVERY,
    S.PENDING_CUSTOMER_SCHEDULING,
    S.DELIVERY_SCHEDULED,
    S.INSTALLED,
    S.COMPLETE,
)


def _path(status: str, style: str, rng: random.Random) -> list[str]:
    """The statuses a ticket went through, ending at ``status``."""
    full = list(_REMOTE if style == RefreshStyle.REMOTE else _ON_SITE)
    if rng.random() < 0.5:  # configs without approval
        full.remove(S.PENDING_APPROVAL)
    if status == S.PENDING_LOCATION_INFO:
        return [S.PENDING_INVITE, S.PENDING_CUSTOMER, S.PENDING_LOCATION_INFO]
    if status == S.CANCELLED:
        return full[: rng.randint(1, len(full) - 2)] + [S.CANCELLED]
    if status == S.ON_HOLD:
        return full[: rng.randint(1, len(full) - 2)] + [S.ON_HOLD]
    if status not in full:  # e.g. approval on a ticket drawn without it
        full = list(_REMOTE if status == S.PENDING_DELIVERY else _ON_SITE)
    return full[: full.index(status) + 1]


def _rows(ticket: tuple, rng: random.Random) -> tuple[list[RefreshTicketAudit], dt.datetime]:
    """The ticket's audit rows, oldest first, and its new creation time."""
    pk, status, style, changed, team = ticket
    path = _path(status, style, rng)
    # Walk back from the last change: each earlier status lasted its drawn stay.
    times = [changed]
    for entered in reversed(path[:-1]):
        low, high = _STAY_DAYS[entered]
        stay = dt.timedelta(seconds=round(rng.uniform(low, high) * 86400))
        times.append(times[-1] - stay)
    times.reverse()
    rows = []
    for i, (to_status, at) in enumerate(zip(path, times, strict=True)):
        rows.append(
            RefreshTicketAudit(
                ticket_id=pk,
                actor_job=JOB,
                transition=_ACTION.get(to_status, "create") if i else "create",
                from_status=path[i - 1] if i else "",
                to_status=to_status,
                created_at=at,
                stay_seconds=(at - times[i - 1]).total_seconds() if i else None,
                support_team_id=team,
            )
        )
    return rows, times[0]


def _move_created_at(created: Iterable[tuple[int, dt.datetime]]) -> None:
    """Set each ticket's ``created_at`` to its first audit row's time."""
    created = list(created)
    if connection.vendor != "postgresql":
        RefreshTicket.objects.bulk_update(
            [RefreshTicket(pk=pk, created_at=at) for pk, at in created], ["created_at"]
        )
        return
    buffer = io.StringIO("".join(f"{pk}\t{at.isoformat()}\n" for pk, at in created))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE history_created (id bigint, created_at timestamptz) "
            "ON COMMIT DROP"
        )
        cursor.copy_expert("COPY history_created FROM STDIN", buffer)
        cursor.execute(
            "UPDATE refresh_refreshticket t SET created_at = h.created_at "
            "FROM history_created h WHERE h.id = t.id"
        )


def ticket_history_seed(*, tickets=None, seed: int = 16) -> int:
    """Write the status history of ``tickets`` (default: every ticket without audit
    rows). Returns the number of audit rows written."""
    if tickets is None:
        tickets = RefreshTicket.objects.filter(audits__isnull=True)
    rng = random.Random(seed)
    rows = tickets.order_by("pk").values_list(
        "pk", "status", "style", "status_changed_at", "support_team_id"
    )
    written, last_pk = 0, 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return written
        last_pk = batch[-1][0]
        audits, created = [], []
        for ticket in batch:
            ticket_rows, first = _rows(ticket, rng)
            audits.extend(ticket_rows)
            created.append((ticket[0], first))
        with transaction.atomic():
            bulk_insert(RefreshTicketAudit, audits)
            _move_created_at(created)
        written += len(audits)
