"""Who a TDX ticket is for: the person with the requestor's email, or a new one."""

from __future__ import annotations

from django.core.cache import cache

from ...protocol import NewTicket, PermanentITSMError
from .mapping import TDXMapping

PERSON_CACHE_SECONDS = 24 * 3600


class TDXRequestors(TDXMapping):
    """Requestor lookup (cached a day per email) and the ``TDX_REQUESTOR_POLICY``."""

    def _person_uid(self, email: str) -> str | None:
        """The UID of the TDX person with this email (primary, alert or user name)."""
        key = f"tdx-person:{self.config.api_root}:{email.lower()}"
        if uid := cache.get(key):
            return uid
        people = self._request(
            "GET",
            "/people/lookup",
            bucket="GET.people/lookup",
            params={"searchText": email, "maxResults": 10},
        )
        for person in people or []:
            addresses = {
                str(person.get(name) or "").strip().lower()
                for name in ("PrimaryEmail", "AlertEmail", "UserName")
            }
            if email.lower() in addresses and person.get("IsActive", True):
                cache.set(key, person["UID"], timeout=PERSON_CACHE_SECONDS)
                return person["UID"]
        return None

    def _requestor(self, ticket: NewTicket) -> tuple[dict, bool]:
        """Requestor fields for a new ticket, and whether TDX may create the person."""
        email = ticket.requestor_email.strip()
        if not email:
            return {"RequestorUid": self.config.default_requestor_uid}, False
        if uid := self._person_uid(email):
            return {"RequestorUid": uid}, False
        if self.config.requestor_policy != "create":
            raise PermanentITSMError(
                f"No TeamDynamix person has the email {email}. Add them in TDX People "
                "(or through your identity sync), or set TDX_REQUESTOR_POLICY=create to "
                "let TDX create the person from their name."
            )
        name = ticket.requestor_name.strip() or email.split("@")[0].replace(".", " ").title()
        first, _, last = name.partition(" ")
        return {
            "RequestorEmail": email,
            "RequestorFirstName": first,
            "RequestorLastName": last or first,
        }, True
