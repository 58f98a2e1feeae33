"""The ITSM Protocol on TeamDynamix, one module per concern.

``mapping`` (TDX bodies → dataclasses), ``requestors`` (who a ticket is for),
``creating`` (one ticket per key), ``tickets`` (reading, updating, tasks),
``assets`` (search by serial, attach). Change requests and changed-location
tickets follow the flow every client shares (``itsm.related``).
"""

from __future__ import annotations

from ...protocol import CheckReport, ITSMTicket
from ...related import RelatedTickets
from .assets import TDXAssets
from .creating import TDXCreating
from .mapping import TDXMapping
from .requestors import PERSON_CACHE_SECONDS, TDXRequestors
from .tickets import TDXTickets


class TDXClient(RelatedTickets, TDXCreating, TDXTickets, TDXAssets):
    """The ITSM Protocol against a TeamDynamix tenant (``settings.ITSM_CLIENT``)."""

    def _create_related(self, ticket, related_id, key, *, same_requestor) -> ITSMTicket:
        requestor_uid = ""
        if same_requestor:
            original = self._ticket_body(related_id)
            requestor_uid = original.get("RequestorUid") or self.config.default_requestor_uid
        return self._create_once(ticket, [], key, requestor_uid=requestor_uid)

    def check_configuration(self) -> CheckReport:
        from ..check import check_tenant

        return check_tenant(self)


__all__ = [
    "PERSON_CACHE_SECONDS",
    "TDXAssets",
    "TDXClient",
    "TDXCreating",
    "TDXMapping",
    "TDXRequestors",
    "TDXTickets",
]
