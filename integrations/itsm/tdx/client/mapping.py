"""TDX bodies → the Protocol's dataclasses: states, tickets, tasks, paths."""

from __future__ import annotations

from ...protocol import ITSMTask, ITSMTicket, TicketState
from ..config import STATUS_CLASSES, status_class
from ..transport import TDXTransport

# When two states share a status ID, the later one in this list wins when reading.
_READ_PRECEDENCE = [
    TicketState.NEW,
    TicketState.OPEN,
    TicketState.IN_PROCESS,
    TicketState.ON_HOLD,
    TicketState.CANCELLED,
    TicketState.CLOSED,
    TicketState.INSTALLED,
]


class TDXMapping(TDXTransport):
    """How a TDX answer reads as a ticket, a task and a state."""

    def _state(self, body: dict) -> str:
        by_id = {}
        for state in _READ_PRECEDENCE:
            if state in self.config.status_ids:
                by_id[self.config.status_ids[state]] = state
        if body.get("StatusID") in by_id:
            return by_id[body["StatusID"]]
        return STATUS_CLASSES.get(status_class(body.get("StatusClass")), TicketState.OPEN)

    def ticket_url(self, *, ticket_id) -> str:
        return (
            f"{self.base_url}/{self.config.web_path}/Apps/{self.app_id}"
            f"/Tickets/TicketDet?TicketID={ticket_id}"
        )

    def _task(self, body: dict, ticket_id) -> ITSMTask:
        percent = int(body.get("PercentComplete") or 0)
        return ITSMTask(
            id=str(body["ID"]),
            ticket_id=str(body.get("TicketID") or ticket_id),
            title=body.get("Title", ""),
            percent_complete=percent,
            completed=percent >= 100 or bool(body.get("CompletedDate")),
        )

    def _ticket(self, body: dict, tasks=()) -> ITSMTicket:
        return ITSMTicket(
            id=str(body["ID"]),
            title=body.get("Title", ""),
            status=self._state(body),
            url=self.ticket_url(ticket_id=body["ID"]),
            tasks=tuple(tasks),
        )

    def _tickets_path(self, suffix: str = "") -> str:
        return f"/{self.app_id}/tickets{suffix}"

    def _ticket_body(self, ticket_id) -> dict:
        return self._request("GET", self._tickets_path(f"/{ticket_id}"), bucket="GET.tickets")
