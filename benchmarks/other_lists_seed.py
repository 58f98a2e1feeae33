"""Bulk rows for ``test_other_lists_bench.py``: the outbox, effects, ITSM stub
tickets, a refresh batch of tickets waiting for approval, and schedule slots.

Written with ``common.bulk.bulk_insert`` (COPY on PostgreSQL) one batch at a
time, like ``refresh/scale.py``: no services, audit rows, emails or tasks. Each
seeder adds ``count`` rows under ``tag`` (a second call grows the table), the
newest first, one minute apart going back.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import SupportTeam, User
from accounts.scale import ScalePeople
from common.bulk import bulk_insert
from common.models import Effect, EffectStatus
from integrations.models import StubITSMTask, StubITSMTicket
from notifications.choices import EmailStatus
from notifications.models import OutboundEmail
from refresh.choices import BatchRowOutcome, RefreshStyle, TicketStatus
from refresh.models import (
    HardwareModel,
    RefreshBatch,
    RefreshBatchRow,
    RefreshConfig,
    RefreshTicket,
    System,
)
from scheduling.models import ScheduleSlot

BATCH = 5000
# Of every 20 emails: 17 sent, 2 failed, 1 queued.
_EMAIL_STATUSES = [EmailStatus.SENT] * 17 + [EmailStatus.FAILED] * 2 + [EmailStatus.QUEUED]
# Of every 20 effects: 16 done, 2 failed for good, 1 failing (pending, 3 attempts), 1 fresh.
_EFFECT_STATES = (
    [(EffectStatus.DONE, 1)] * 16
    + [(EffectStatus.FAILED, 5)] * 2
    + [(EffectStatus.PENDING, 3), (EffectStatus.PENDING, 0)]
)


def _spread(table: str, column: str, ids: list[int], now) -> None:
    """Set ``column`` of rows ``ids`` one minute apart going back from ``now``,
    the first row newest (``auto_now`` fields take the insert time; the lists
    sort by them)."""
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET {column} = %s - (id - %s) * interval '1 minute' "
                "WHERE id BETWEEN %s AND %s",
                [now, min(ids), min(ids), max(ids)],
            )
        else:  # SQLite: one row at a time is fine at the sizes run there
            for pk in ids:
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s",
                    [now - dt.timedelta(minutes=pk - min(ids)), pk],
                )


def emails_seed(*, people: ScalePeople, tag: str, count: int) -> None:
    """``count`` logged emails about people, mostly sent, newest first."""
    about = ContentType.objects.get_for_model(User)
    users = people.users
    now = timezone.now()
    for start in range(0, count, BATCH):
        stop = min(start + BATCH, count)
        with transaction.atomic():
            rows = bulk_insert(
                OutboundEmail,
                [
                    OutboundEmail(
                        key=f"bench:{tag}:{i}",
                        template="refresh/invite",
                        to=[users[i % len(users)].email],
                        subject=f"Your new computer {tag} {i:07d}",
                        body_text="Hello,\n\nPick your new computer.\n",
                        related_type=about,
                        related_id=str(users[i % len(users)].pk),
                        status=_EMAIL_STATUSES[i % len(_EMAIL_STATUSES)],
                    )
                    for i in range(start, stop)
                ],
            )
            _spread(OutboundEmail._meta.db_table, "created_at", [r.pk for r in rows], now)
            now -= dt.timedelta(minutes=stop - start)


def effects_seed(*, tag: str, count: int) -> None:
    """``count`` effects: one in five needs attention (failed, failing or overdue)."""
    now = timezone.now()
    for start in range(0, count, BATCH):
        stop = min(start + BATCH, count)
        with transaction.atomic():
            rows = bulk_insert(
                Effect,
                [
                    Effect(
                        task_name="integrations.tasks.itsm_ticket_create_task",
                        kwargs={"ticket_id": i},
                        key=f"bench:{tag}:{i}",
                        target_kind="ticket",
                        target_id=i,
                        status=_EFFECT_STATES[i % len(_EFFECT_STATES)][0],
                        attempts=_EFFECT_STATES[i % len(_EFFECT_STATES)][1],
                        next_attempt_at=now - dt.timedelta(minutes=i),
                        last_error="ITSM answered 503" if i % 20 >= 16 else "",
                        created_at=now - dt.timedelta(minutes=i),
                    )
                    for i in range(start, stop)
                ],
            )
            _spread(Effect._meta.db_table, "updated_at", [r.pk for r in rows], now)
            now -= dt.timedelta(minutes=stop - start)


def stub_tickets_seed(*, tag: str, count: int) -> None:
    """``count`` stub ITSM tickets with two tasks each (one done)."""
    for start in range(0, count, BATCH):
        stop = min(start + BATCH, count)
        with transaction.atomic():
            tickets = bulk_insert(
                StubITSMTicket,
                [
                    StubITSMTicket(
                        title=f"Refresh {tag} {i:07d}",
                        requestor_email=f"person.{tag}.{i % 500}@example.edu",
                        type_name="Refresh",
                        status=("new", "installed", "closed")[i % 3],
                    )
                    for i in range(start, stop)
                ],
            )
            now = timezone.now()
            bulk_insert(
                StubITSMTask,
                [
                    StubITSMTask(
                        ticket=ticket,
                        title=title,
                        percent_complete=100 if done else 0,
                        completed_at=now if done else None,
                    )
                    for ticket in tickets
                    for title, done in (("Prestage", True), ("Deliver", False))
                ],
            )


@dataclass(frozen=True)
class ApprovalSeed:
    config: RefreshConfig
    batch: RefreshBatch


def approval_batch_seed(
    *, people: ScalePeople, tag: str, count: int, approver: User
) -> ApprovalSeed:
    """One config naming ``approver``, one batch of ``count`` serials, each row
    with its system and a ticket waiting for approval; ``count // 100`` more
    small batches (the batch list's rows)."""
    model = HardwareModel.objects.create(
        manufacturer="Bench", name=f"Bench {tag}", platform="windows"
    )
    config = RefreshConfig.objects.create(
        name=f"Bench {tag} config", organization=people.organization, requires_approval=True
    )
    config.approvers.add(approver)
    now = timezone.now()
    batch = RefreshBatch.objects.create(
        name=f"Bench {tag} batch", config=config, tickets_created_at=now
    )
    bulk_insert(
        RefreshBatch,
        [
            RefreshBatch(name=f"Bench {tag} batch {i:05d}", config=config, tickets_created_at=now)
            for i in range(count // 100)
        ],
    )
    users, teams = people.users, people.teams
    for start in range(0, count, BATCH):
        stop = min(start + BATCH, count)
        with transaction.atomic():
            systems = bulk_insert(
                System,
                [
                    System(
                        serial_number=f"BA{tag}{i:08d}",
                        name=f"BA-{tag}-{i:08d}",
                        hardware_model=model,
                        platform="windows",
                        current_user=users[i % len(users)],
                        organization=people.organization,
                    )
                    for i in range(start, stop)
                ],
            )
            tickets = bulk_insert(
                RefreshTicket,
                [
                    RefreshTicket(
                        existing_system=system,
                        user_id=system.current_user_id,
                        config=config,
                        batch=batch,
                        support_team=teams[i % len(teams)],
                        style=RefreshStyle.ON_PREM,
                        status=TicketStatus.PENDING_APPROVAL,
                        proposed_model=model,
                        status_changed_at=now - dt.timedelta(minutes=i),
                        created_at=now - dt.timedelta(minutes=i),
                    )
                    for i, system in zip(range(start, stop), systems, strict=True)
                ],
            )
            bulk_insert(
                RefreshBatchRow,
                [
                    RefreshBatchRow(
                        batch=batch,
                        position=i + 1,
                        serial_number=system.serial_number,
                        outcome=BatchRowOutcome.CREATED,
                        system=system,
                        ticket=ticket,
                    )
                    for i, system, ticket in zip(range(start, stop), systems, tickets, strict=True)
                ],
            )
    return ApprovalSeed(config=config, batch=batch)


def slots_seed(*, tag: str, count: int, teams: int = 20, per_day: int = 4) -> list[SupportTeam]:
    """``teams`` teams with ``per_day`` slots every weekday: the next 5 weeks
    first, then back in time until ``count`` slots exist (past years' slots)."""
    team_rows = SupportTeam.objects.bulk_create(
        [SupportTeam(name=f"Bench {tag} slots {i:02d}") for i in range(teams)]
    )
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    days: list[dt.date] = []
    day = today + dt.timedelta(days=35)
    while len(days) * teams * per_day < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    slots = (
        ScheduleSlot(
            team=team,
            start=start,
            end=start + dt.timedelta(hours=1),
            capacity=3,
            booked_count=(d.toordinal() + n) % 4,
        )
        for d in days
        for team in team_rows
        for n in range(per_day)
        for start in [dt.datetime.combine(d, dt.time(8 + 2 * n), tzinfo=tz)]
    )
    batch: list[ScheduleSlot] = []
    for slot in itertools.islice(slots, count):
        batch.append(slot)
        if len(batch) == BATCH:
            bulk_insert(ScheduleSlot, batch)
            batch = []
    bulk_insert(ScheduleSlot, batch)
    return team_rows
