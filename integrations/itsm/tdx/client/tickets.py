"""Reading and changing TDX tickets and their tasks."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime

from ...protocol import (
    ITSMNotFound,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    PermanentITSMError,
    TicketState,
    clip_title,
)
from .mapping import TDXMapping


class TDXTickets(TDXMapping):
    """``get_ticket``, ``get_ticket_status``, ``update_ticket`` and the task calls."""

    def _tasks(self, ticket_id) -> list[ITSMTask]:
        rows = self._request(
            "GET", self._tickets_path(f"/{ticket_id}/tasks"), bucket="GET.tickets/tasks"
        )
        return [self._task(row, ticket_id) for row in rows or []]

    def get_ticket(self, *, ticket_id) -> ITSMTicket:
        body = self._request("GET", self._tickets_path(f"/{ticket_id}"), bucket="GET.tickets")
        return self._ticket(body, self._tasks(ticket_id))

    def get_ticket_status(self, *, ticket_id) -> ITSMTicketStatus:
        body = self._request("GET", self._tickets_path(f"/{ticket_id}"), bucket="GET.tickets")
        state = self._state(body)
        modified = parse_datetime(body.get("ModifiedDate") or "")
        return ITSMTicketStatus(
            ticket_id=str(body["ID"]),
            status=state,
            installed=state in (TicketState.INSTALLED, TicketState.CLOSED),
            closed=state == TicketState.CLOSED,
            modified_at=modified,
        )

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
        if status is not None and status not in self.config.status_ids:
            raise PermanentITSMError(f"No TDX status is configured for {status!r}.")
        if self._seen(idempotency_key) is None:
            if appointment_start:
                patch = [
                    {"op": "replace", "path": "/StartDate", "value": appointment_start.isoformat()}
                ]
                if appointment_end:
                    patch.append(
                        {"op": "replace", "path": "/EndDate", "value": appointment_end.isoformat()}
                    )
                self._request(
                    "PATCH",
                    self._tickets_path(f"/{ticket_id}"),
                    bucket="PATCH.tickets",
                    json=patch,
                    params={"notifyNewResponsible": "false"},
                )
            if comment or status:
                feed = {
                    "Comments": comment or "Status updated.",
                    "IsPrivate": private,
                    "Notify": [],
                }
                if status:
                    feed["NewStatusID"] = self.config.status_ids[status]
                self._request(
                    "POST",
                    self._tickets_path(f"/{ticket_id}/feed"),
                    bucket="POST.tickets/feed",
                    json=feed,
                )
            self._remember(idempotency_key, ticket_id)
        return self.get_ticket(ticket_id=ticket_id)

    def _post_task(self, ticket_id, title: str, estimated_minutes: int | None = None) -> ITSMTask:
        title = clip_title(title)
        minutes = estimated_minutes or self.config.task_minutes.get(
            title, self.config.task_default_minutes
        )
        body = self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks"),
            bucket="POST.tickets/tasks",
            json={"Title": title, "EstimatedMinutes": minutes},
        )
        return self._task(body, ticket_id)

    def add_task(self, *, ticket_id, title, idempotency_key, estimated_minutes=None) -> ITSMTask:
        """One task per key; a retry after a lost answer adopts the task with this title."""
        done = self._seen(idempotency_key)
        for task in self._tasks(ticket_id):
            if task.id == done or (done is None and task.title == clip_title(title)):
                self._remember(idempotency_key, task.id)
                return task
        if done is not None:
            raise ITSMNotFound(f"TDX task {done} of ticket {ticket_id} is gone.")
        task = self._post_task(ticket_id, title, estimated_minutes)
        self._remember(idempotency_key, task.id)
        return task

    def _task_feed(self, ticket_id, task_id, entry: dict) -> ITSMTask:
        self._request(
            "POST",
            self._tickets_path(f"/{ticket_id}/tasks/{task_id}/feed"),
            bucket="POST.tickets/tasks/feed",
            json={**entry, "Notify": []},
        )
        for task in self._tasks(ticket_id):
            if task.id == str(task_id):
                return task
        raise ITSMNotFound(f"TDX task {task_id} of ticket {ticket_id} does not exist.")

    def complete_task(self, *, ticket_id, task_id, comment="", private=True) -> ITSMTask:
        return self._task_feed(
            ticket_id,
            task_id,
            {"PercentComplete": 100, "Comments": comment or "Completed.", "IsPrivate": private},
        )

    def comment_task(self, *, ticket_id, task_id, comment, private=True) -> ITSMTask:
        return self._task_feed(ticket_id, task_id, {"Comments": comment, "IsPrivate": private})
