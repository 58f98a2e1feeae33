"""The ITSM stand-in: tickets, tasks and assets in the database.

It behaves like the service where Handover can tell: numeric ids, idempotency
keys on creates, ``ITSMNotFound`` for unknown ids, an outage switch (staff page
or ``StubSettings``) raising ``TransientITSMError``, optional rate limiting
(``ITSM_STUB_RATE_LIMIT_PER_MINUTE``) and simulated latency
(``ITSM_STUB_LATENCY_MS``, for benchmarks).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from integrations.models import (
    StubIdempotencyKey,
    StubITSMAsset,
    StubITSMTask,
    StubITSMTicket,
    StubSettings,
)

from .protocol import (
    ITSMAsset,
    ITSMNotFound,
    ITSMRateLimited,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    NewTicket,
    TicketState,
    TransientITSMError,
)

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


class StubITSMClient:
    def _call(self, method: str) -> None:
        latency = getattr(settings, "ITSM_STUB_LATENCY_MS", 0)
        if latency:
            time.sleep(latency / 1000)
        if StubSettings.objects.filter(pk=1, itsm_outage=True).exists():
            raise TransientITSMError("The ITSM is unavailable (stub outage switched on).")
        limit = getattr(settings, "ITSM_STUB_RATE_LIMIT_PER_MINUTE", 0)
        if limit:
            key = f"itsm-stub-rate:{method}:{int(time.time() // 60)}"
            cache.add(key, 0, timeout=70)
            if cache.incr(key) > limit:
                raise ITSMRateLimited(retry_after=60 - time.time() % 60 + 5)

    def _get(self, ticket_id) -> StubITSMTicket:
        try:
            return StubITSMTicket.objects.prefetch_related("tasks").get(pk=int(ticket_id))
        except (StubITSMTicket.DoesNotExist, ValueError, TypeError) as exc:
            raise ITSMNotFound(f"ITSM ticket {ticket_id} does not exist.") from exc

    @transaction.atomic
    def create_ticket(self, *, ticket: NewTicket, task_titles, idempotency_key) -> ITSMTicket:
        self._call("create_ticket")
        seen = StubIdempotencyKey.objects.filter(service="itsm", key=idempotency_key).first()
        if seen:
            return _ticket(self._get(seen.result_id))
        row = StubITSMTicket.objects.create(
            title=ticket.title,
            description=ticket.description,
            requestor_email=ticket.requestor_email,
            type_name=ticket.type_name,
            account=ticket.account,
            location=ticket.location,
            status=ticket.status,
        )
        StubITSMTask.objects.bulk_create(
            [StubITSMTask(ticket=row, title=title) for title in task_titles]
        )
        StubIdempotencyKey.objects.create(service="itsm", key=idempotency_key, result_id=row.pk)
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
    ) -> ITSMTicket:
        self._call("update_ticket")
        row = self._get(ticket_id)
        seen = StubIdempotencyKey.objects.filter(service="itsm", key=idempotency_key).exists()
        if not seen:
            if comment:
                row.feed = [*row.feed, {"at": timezone.now().isoformat(), "text": comment}]
            if status:
                row.status = status
            if appointment_start:
                row.appointment_start, row.appointment_end = appointment_start, appointment_end
            row.save()
            StubIdempotencyKey.objects.create(service="itsm", key=idempotency_key, result_id=row.pk)
        return _ticket(self._get(row.pk))

    @transaction.atomic
    def add_task(self, *, ticket_id, title, idempotency_key) -> ITSMTask:
        self._call("add_task")
        row = self._get(ticket_id)
        seen = StubIdempotencyKey.objects.filter(service="itsm", key=idempotency_key).first()
        if seen:
            return _task(StubITSMTask.objects.get(pk=seen.result_id))
        task = StubITSMTask.objects.create(ticket=row, title=title)
        StubIdempotencyKey.objects.create(service="itsm", key=idempotency_key, result_id=task.pk)
        return _task(task)

    def complete_task(self, *, ticket_id, task_id, comment="") -> ITSMTask:
        self._call("complete_task")
        task = StubITSMTask.objects.filter(pk=task_id, ticket_id=ticket_id).first()
        if task is None:
            raise ITSMNotFound(f"Task {task_id} of ITSM ticket {ticket_id} does not exist.")
        if task.completed_at is None:
            task.completed_at = timezone.now()
            task.percent_complete = 100
            task.save(update_fields=["completed_at", "percent_complete"])
        return _task(task)

    @transaction.atomic
    def comment_task(self, *, ticket_id, task_id, comment) -> ITSMTask:
        self._call("comment_task")
        task = (
            StubITSMTask.objects.select_related("ticket")
            .filter(pk=task_id, ticket_id=ticket_id)
            .first()
        )
        if task is None:
            raise ITSMNotFound(f"Task {task_id} of ITSM ticket {ticket_id} does not exist.")
        ticket = task.ticket
        ticket.feed = [
            *ticket.feed,
            {"at": timezone.now().isoformat(), "text": f"Task “{task.title}”: {comment}"},
        ]
        ticket.save(update_fields=["feed", "modified_at"])
        return _task(task)

    def find_asset_by_serial(self, *, serial_number) -> ITSMAsset | None:
        self._call("find_asset_by_serial")
        row = StubITSMAsset.objects.filter(serial_number__iexact=serial_number.strip()).first()
        if row is None:
            return None
        return ITSMAsset(
            id=str(row.pk), serial_number=row.serial_number, name=row.name, location=row.location
        )

    def attach_asset(self, *, ticket_id, asset_id) -> None:
        self._call("attach_asset")
        row = self._get(ticket_id)
        asset = StubITSMAsset.objects.filter(pk=asset_id).first()
        if asset is None:
            raise ITSMNotFound(f"Asset {asset_id} does not exist.")
        asset.tickets.add(row)

    @transaction.atomic
    def file_change_request(self, *, ticket_id, text, requested_by, idempotency_key) -> str:
        self._call("file_change_request")
        updated = self.update_ticket(
            ticket_id=ticket_id,
            comment=f"Change request from {requested_by}: {text}",
            idempotency_key=idempotency_key,
        )
        return updated.id

    def open_changed_location_ticket(
        self, *, related_ticket_id, requestor_email, old_location, new_location, idempotency_key
    ) -> ITSMTicket:
        created = self.create_ticket(
            ticket=NewTicket(
                title="Changed location",
                description=f"Location changed from {old_location!r} to {new_location!r}.",
                requestor_email=requestor_email,
                type_name="Changed location",
                location=new_location,
            ),
            task_titles=[],
            idempotency_key=idempotency_key,
        )
        StubITSMTicket.objects.filter(pk=created.id).update(related_ticket_id=related_ticket_id)
        return created
