"""The ITSM stand-in: tickets, tasks and assets in the database.

It behaves like TeamDynamix where Handover can tell: numeric ids, titles of at
most 300 characters, a ticket kind it has no type for is refused (TDX answers
400 without a TypeID), ``ITSMNotFound`` for unknown ids, the marker line in
each created ticket's description through which a retry finds a ticket whose
answer was lost, an outage switch (staff page or ``StubSettings``) raising
``TransientITSMError``, a "create times out after saving" switch
(``StubSettings.itsm_create_times_out``, one shot), optional rate limiting
(``ITSM_STUB_RATE_LIMIT_PER_MINUTE`` per method, ticket create half of it,
windows starting at the first call like TDX's) and simulated latency
(``ITSM_STUB_LATENCY_MS``, for benchmarks).
"""

import dataclasses
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.models import (
    StubIdempotencyKey,
    StubITSMAsset,
    StubITSMTask,
    StubITSMTicket,
    StubSettings,
)
from integrations.selectors import stub_counts_changed

from .limits import SKEW_SECONDS, window_wait
from .protocol import (
    CheckLine,
    CheckReport,
    ITSMAsset,
    ITSMAssetOwner,
    ITSMNotFound,
    ITSMRateLimited,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    NewTicket,
    PermanentITSMError,
    TicketKind,
    TicketState,
    TransientITSMError,
    clip_title,
    describe,
    has_marker,
    marker_line,
)
from .related import RelatedTickets

STUB_URL = "/integrations/itsm/tickets/{id}/"


def _task(row: StubITSMTask) -> ITSMTask:
    return ITSMTask(
        id=str(row.pk),
        ticket_id=str(row.ticket_id),
        title=row.title,
        percent_complete=row.percent_complete,
        completed=row.completed_at is not None,
    )


def _ticket(row: StubITSMTicket) -> ITSMTicket:
    return ITSMTicket(
        id=str(row.pk),
        title=row.title,
        status=row.status,
        url=f"{settings.SITE_URL}{STUB_URL.format(id=row.pk)}",
        tasks=tuple(_task(t) for t in row.tasks.all()),
    )


def _feed_entry(text: str, *, private: bool = True) -> dict:
    return {"at": timezone.now().isoformat(), "text": text, "private": private}


class StubITSMClient(RelatedTickets):
    def _call(self, method: str) -> None:
        latency = getattr(settings, "ITSM_STUB_LATENCY_MS", 0)
        if latency:
            time.sleep(latency / 1000)
        if StubSettings.objects.filter(pk=1, itsm_outage=True).exists():
            raise TransientITSMError("The ITSM is unavailable (stub outage switched on).")
        limit = getattr(settings, "ITSM_STUB_RATE_LIMIT_PER_MINUTE", 0)
        if limit:
            if method == "create_ticket":
                limit = max(1, limit // 2)  # TDX: ticket create 30, the others 60
            wait = window_wait(bucket=f"itsm-stub:{method}", limit=limit)
            if wait:
                raise ITSMRateLimited(
                    f"Stub ITSM rate limit on {method}.", retry_after=wait + SKEW_SECONDS
                )

    def _get(self, ticket_id) -> StubITSMTicket:
        try:
            return StubITSMTicket.objects.prefetch_related("tasks").get(pk=int(ticket_id))
        except (StubITSMTicket.DoesNotExist, ValueError, TypeError) as exc:
            raise ITSMNotFound(f"ITSM ticket {ticket_id} does not exist.") from exc

    def _locked(self, ticket_id) -> StubITSMTicket:
        """The ticket row locked for a change (inside the caller's transaction).

        TDX changes a ticket field by field (a PATCH of the fields, a POST to the
        feed), so two updates of one ticket at the same moment both land. The
        stub's read-then-save must not lose one: two workers updating one ticket
        (the appointment push and the replacement note, woken together when the
        ITSM ticket appears) take turns, and each writes only what it changed.
        """
        try:
            return StubITSMTicket.objects.select_for_update().get(pk=int(ticket_id))
        except (StubITSMTicket.DoesNotExist, ValueError, TypeError) as exc:
            raise ITSMNotFound(f"ITSM ticket {ticket_id} does not exist.") from exc

    def ticket_url(self, *, ticket_id) -> str:
        return f"{settings.SITE_URL}{STUB_URL.format(id=ticket_id)}"

    def _refuse(self, ticket: NewTicket) -> None:
        if ticket.kind not in TicketKind.ALL:
            raise PermanentITSMError(
                f"The ITSM refused the ticket (400): no ticket type for kind {ticket.kind!r}."
            )
        if ticket.status not in TicketState.ALL:
            raise PermanentITSMError(
                f"The ITSM refused the ticket (400): no status {ticket.status!r}."
            )

    def _created(self, idempotency_key: str) -> StubITSMTicket | None:
        """The ticket made with this key: remembered, or found by its marker."""
        seen = StubIdempotencyKey.objects.filter(service="itsm", key=idempotency_key).first()
        if seen:
            return self._get(seen.result_id)
        for row in StubITSMTicket.objects.filter(
            description__contains=marker_line(idempotency_key)
        ).order_by("id"):
            if has_marker(row.description, idempotency_key):
                return row
        return None

    def create_ticket(self, *, ticket: NewTicket, task_titles, idempotency_key) -> ITSMTicket:
        self._call("create_ticket")
        self._refuse(ticket)
        lost = False
        with transaction.atomic():
            row = self._created(idempotency_key)
            if row is None:
                row = StubITSMTicket.objects.create(
                    title=clip_title(ticket.title),
                    description=describe(ticket, idempotency_key),
                    requestor_email=ticket.requestor_email,
                    type_name=TicketKind.LABELS[ticket.kind],
                    account=ticket.account,
                    location=ticket.location,
                    status=ticket.status,
                )
                stub_counts_changed()
                transaction.on_commit(stub_counts_changed)
                # The rehearsal switch (one shot): saved, but the answer never arrives.
                lost = bool(
                    StubSettings.objects.filter(pk=1, itsm_create_times_out=True).update(
                        itsm_create_times_out=False
                    )
                )
        if lost:
            raise TransientITSMError(
                "The ITSM timed out after saving the ticket (stub switch): retry to find it."
            )
        with transaction.atomic():
            have = set(row.tasks.values_list("title", flat=True))
            StubITSMTask.objects.bulk_create(
                [
                    StubITSMTask(ticket=row, title=clip_title(title))
                    for title in task_titles
                    if clip_title(title) not in have
                ]
            )
            StubIdempotencyKey.objects.get_or_create(
                service="itsm", key=idempotency_key, defaults={"result_id": str(row.pk)}
            )
        return _ticket(self._get(row.pk))

    def get_ticket(self, *, ticket_id) -> ITSMTicket:
        self._call("get_ticket")
        return _ticket(self._get(ticket_id))

    def get_ticket_status(self, *, ticket_id) -> ITSMTicketStatus:
        self._call("get_ticket_status")
        row = self._get(ticket_id)
        return ITSMTicketStatus(
            ticket_id=str(row.pk),
            status=row.status,
            installed=row.status in (TicketState.INSTALLED, TicketState.CLOSED),
            closed=row.status == TicketState.CLOSED,
            modified_at=row.modified_at,
        )

    @transaction.atomic
    def update_ticket(
        self,
        *,
        ticket_id,
        comment="",
        status=None,
        appointment_start=None,
        appointment_end=None,
        idempotency_key,
        private=True,
    ) -> ITSMTicket:
        self._call("update_ticket")
        if status is not None and status not in TicketState.ALL:
            raise PermanentITSMError(f"The ITSM has no status {status!r}.")
        row = self._locked(ticket_id)
        seen = StubIdempotencyKey.objects.filter(service="itsm", key=idempotency_key).exists()
        if not seen:
            changed = ["modified_at"]
            if comment:
                row.feed = [*row.feed, _feed_entry(comment, private=private)]
                changed.append("feed")
            if status:
                row.status = status
                changed.append("status")
            if appointment_start:
                row.appointment_start, row.appointment_end = appointment_start, appointment_end
                changed += ["appointment_start", "appointment_end"]
            row.save(update_fields=changed)
            StubIdempotencyKey.objects.create(service="itsm", key=idempotency_key, result_id=row.pk)
        return _ticket(self._get(row.pk))

    @transaction.atomic
    def add_task(self, *, ticket_id, title, idempotency_key, estimated_minutes=None) -> ITSMTask:
        self._call("add_task")
        row = self._get(ticket_id)
        seen = StubIdempotencyKey.objects.filter(service="itsm", key=idempotency_key).first()
        if seen:
            return _task(StubITSMTask.objects.get(pk=seen.result_id))
        task = StubITSMTask.objects.create(ticket=row, title=clip_title(title))
        StubIdempotencyKey.objects.create(service="itsm", key=idempotency_key, result_id=task.pk)
        return _task(task)

    def _task_row(self, ticket_id, task_id) -> StubITSMTask:
        task = (
            StubITSMTask.objects.select_related("ticket")
            .filter(pk=task_id, ticket_id=ticket_id)
            .first()
        )
        if task is None:
            raise ITSMNotFound(f"Task {task_id} of ITSM ticket {ticket_id} does not exist.")
        return task

    @transaction.atomic
    def complete_task(self, *, ticket_id, task_id, comment="", private=True) -> ITSMTask:
        self._call("complete_task")
        task = self._task_row(ticket_id, task_id)
        if task.completed_at is None:
            task.completed_at = timezone.now()
            task.percent_complete = 100
            task.save(update_fields=["completed_at", "percent_complete"])
            if comment:
                self._task_comment(task, comment, private=private)
        return _task(task)

    def _task_comment(self, task: StubITSMTask, comment: str, *, private: bool) -> None:
        ticket = self._locked(task.ticket_id)  # a concurrent update's feed entry stays
        ticket.feed = [
            *ticket.feed,
            _feed_entry(f"Task “{task.title}”: {comment}", private=private),
        ]
        ticket.save(update_fields=["feed", "modified_at"])

    @transaction.atomic
    def comment_task(self, *, ticket_id, task_id, comment, private=True) -> ITSMTask:
        self._call("comment_task")
        task = self._task_row(ticket_id, task_id)
        self._task_comment(task, comment, private=private)
        return _task(task)

    def find_asset_by_serial(self, *, serial_number) -> ITSMAsset | None:
        self._call("find_asset_by_serial")
        row = StubITSMAsset.objects.filter(serial_number__iexact=serial_number.strip()).first()
        if row is None:
            return None
        return ITSMAsset(
            id=str(row.pk), serial_number=row.serial_number, name=row.name, location=row.location
        )

    def find_asset_owner(self, *, serial_number) -> ITSMAssetOwner | None:
        self._call("find_asset_owner")
        row = StubITSMAsset.objects.filter(serial_number__iexact=serial_number.strip()).first()
        if row is None:
            return None
        return ITSMAssetOwner(
            asset_id=str(row.pk),
            serial_number=row.serial_number,
            owner_email=row.owner_email,
            owner_name=row.owner_name,
            support_group=row.support_group,
            location=row.location,
        )

    def attach_asset(self, *, ticket_id, asset_id) -> None:
        self._call("attach_asset")
        row = self._get(ticket_id)
        asset = StubITSMAsset.objects.filter(pk=asset_id).first()
        if asset is None:
            raise ITSMNotFound(f"Asset {asset_id} does not exist.")
        asset.tickets.add(row)

    def _create_related(self, ticket, related_id, key, *, same_requestor) -> ITSMTicket:
        if same_requestor:
            original = self._get(related_id)
            ticket = dataclasses.replace(ticket, requestor_email=original.requestor_email)
        created = self.create_ticket(ticket=ticket, task_titles=[], idempotency_key=key)
        StubITSMTicket.objects.filter(pk=created.id).update(related_ticket_id=related_id)
        return created

    def check_configuration(self) -> CheckReport:
        """The stub's side of ``manage.py itsm_check``: reachable, switches, what it maps."""
        switches = StubSettings.current()
        count = StubITSMTicket.objects.count()
        lines = [
            CheckLine("ticket kinds", kind, kind, True, f"type “{TicketKind.LABELS[kind]}”")
            for kind in TicketKind.ALL
        ]
        lines += [
            CheckLine("states", state, state, True, f"stub status “{state}”")
            for state in TicketState.ALL
        ]
        limit = getattr(settings, "ITSM_STUB_RATE_LIMIT_PER_MINUTE", 0)
        lines.append(
            CheckLine(
                "ITSM_STUB_RATE_LIMIT_PER_MINUTE",
                "",
                str(limit or "off"),
                True,
                f"{count} tickets in the stub; create times out once: "
                f"{'armed' if switches.itsm_create_times_out else 'off'}",
            )
        )
        problems = []
        if switches.itsm_outage:
            problems.append(
                "The stub's outage switch is on: every ITSM call fails until it is switched "
                "off on /integrations/itsm/."
            )
        return CheckReport(
            service="Stub ITSM (in this database)",
            signed_in=True,
            lines=tuple(lines),
            problems=tuple(problems),
        )
