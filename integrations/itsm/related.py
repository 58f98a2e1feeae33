"""The related tickets every ITSM client opens the same way.

A change request is its own ticket for the original's requestor, noted
privately on the original; a changed-location ticket names its related
ticket. Each client says only how it creates a ticket related to another
(``_create_related``); the flow around it lives here once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from .protocol import (
    ITSMTicket,
    change_request_note,
    change_request_ticket,
    changed_location_ticket,
)


class RelatedTickets(ABC):
    """``file_change_request`` and ``open_changed_location_ticket`` for any client."""

    @abstractmethod
    def _create_related(self, ticket, related_id, key, *, same_requestor) -> ITSMTicket:
        """Create ``ticket`` (a ``NewTicket``) once per ``key``, linked to the ticket
        ``related_id``; with ``same_requestor`` for that ticket's requestor (each
        client implements it: the stub in its tables, TDX through its API)."""

    def file_change_request(self, *, ticket_id, text, requested_by, idempotency_key) -> str:
        """A change-request ticket for the same requestor, noted privately on the original."""
        change = change_request_ticket(ticket_id=ticket_id, text=text, requested_by=requested_by)
        created = self._create_related(change, str(ticket_id), idempotency_key, same_requestor=True)
        self.update_ticket(
            ticket_id=ticket_id,
            comment=change_request_note(
                requested_by=requested_by, created_id=created.id, text=text
            ),
            idempotency_key=f"{idempotency_key}:noted",
        )
        return created.id

    def open_changed_location_ticket(
        self, *, related_ticket_id, requestor_email, old_location, new_location, idempotency_key
    ) -> ITSMTicket:
        return self._create_related(
            changed_location_ticket(
                related_ticket_id=related_ticket_id,
                requestor_email=requestor_email,
                old_location=old_location,
                new_location=new_location,
            ),
            str(related_ticket_id),
            idempotency_key,
            same_requestor=False,
        )
