"""Bulk refresh data for ``manage.py seed_scale``: systems and tickets in batches.

Rows are made with ``bulk_create`` in batches (no services, audit rows or
effects): most tickets are old and finished, the newest spread over every open
status, as a few years of real use look. Objects are built one batch at a time
so a million tickets never sit in memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from accounts.scale import ScalePeople
from common.bulk import bulk_insert, bulk_load
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import HardwareModel, RefreshConfig, RefreshTicket, System
from refresh.models.sort_keys import team_sort_name, user_sort_name

OPEN_STATUSES = [
    s for s in TicketStatus if s not in (TicketStatus.COMPLETE, TicketStatus.CANCELLED)
]
# One ticket in five is open; of the rest, most complete and a few cancelled.
_PATTERN = (
    [TicketStatus.COMPLETE] * 14 + [TicketStatus.CANCELLED] * 2 + [None] * 4  # None: open
)
_STYLES = [RefreshStyle.ON_PREM, RefreshStyle.REMOTE, RefreshStyle.USER_SPECIFIED_LOCATION]


def _customer_dates(status: str, i: int, now) -> dict:
    """Invite, reminder and deadline times for tickets waiting on the customer:
    spread over the next ten days, some already due (a few past the deadline)."""
    day = dt.timedelta(days=1)
    cycle = i // (len(_PATTERN) * len(OPEN_STATUSES))  # one turn through every open status
    offset = (cycle % 12 - 3) * day + dt.timedelta(minutes=i % 1440)
    if status == TicketStatus.PENDING_INVITE:
        # As at creation: every date is set from the invite's (business days
        # approximated by calendar days), so the invite can name the deadline.
        return {
            "invite_at": now + offset,
            "first_reminder_at": now + offset + 7 * day,
            "second_reminder_at": now + offset + 14 * day,
            "deadline_at": now + offset + 20 * day,
        }
    if status == TicketStatus.PENDING_CUSTOMER:
        return {
            "first_reminder_at": now + offset,
            "second_reminder_at": now + offset + day,
            "deadline_at": now + offset + 2 * day,
        }
    return {}


def _status(i: int) -> str:
    picked = _PATTERN[i % len(_PATTERN)]
    return picked or OPEN_STATUSES[(i // len(_PATTERN)) % len(OPEN_STATUSES)]


def scale_tickets_seed(
    *,
    people: ScalePeople,
    tag: str,
    count: int,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """``count`` systems and one ticket each, newest first one minute apart.

    Returns the number of tickets made.
    """
    model = HardwareModel.objects.create(
        manufacturer="Scale", name=f"Scale {tag}", platform="windows"
    )
    config = RefreshConfig.objects.create(
        name=f"Scale {tag} config", organization=people.organization
    )
    config.approved_models.add(model)
    users, teams = people.users, people.teams
    now = timezone.now()
    made = 0
    # One transaction, indexes and foreign keys rebuilt once at the end; rows are
    # still built and written one batch at a time, so memory stays flat.
    with bulk_load(System, RefreshTicket, rows=count):
        for start in range(0, count, batch_size):
            stop = min(start + batch_size, count)
            systems = bulk_insert(
                System,
                [
                    System(
                        serial_number=f"SC{tag}{i:08d}",
                        name=f"SC-{tag}-{i:08d}",
                        hardware_model=model,
                        platform="windows",
                        current_user=users[i % len(users)],
                        organization=people.organization,
                    )
                    for i in range(start, stop)
                ],
            )
            bulk_insert(
                RefreshTicket,
                [
                    RefreshTicket(
                        existing_system=system,
                        user_id=system.current_user_id,
                        user_sort_name=user_sort_name(users[i % len(users)]),
                        config=config,
                        support_team=teams[i % len(teams)],
                        team_sort_name=team_sort_name(teams[i % len(teams)]),
                        style=_STYLES[i % len(_STYLES)],
                        status=_status(i),
                        status_changed_at=now - dt.timedelta(minutes=i),
                        created_at=now - dt.timedelta(minutes=i),
                        **_customer_dates(_status(i), i, now),
                    )
                    for i, system in zip(range(start, stop), systems, strict=True)
                ],
            )
            made += stop - start
            if progress:
                progress(made)
    return made
