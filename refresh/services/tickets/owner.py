"""Who a new ticket is for, where, and which team: from the ITSM's asset record
when it has one, else the local system record the ticket was created from."""

from __future__ import annotations

from django.db import transaction

from refresh.choices import EventKind, RefreshStyle, TicketStatus
from refresh.models import RefreshTicket, RefreshTicketEvent
from refresh.models.sort_keys import team_sort_name, user_sort_name

from .._core import forget_status_counts, lock_ticket
from .events import _record_event

S = TicketStatus
ITSM = "the ITSM"
LOCAL = "the local system record"


def _split_location(location: str) -> tuple[str, str]:
    """ "Building, room" as the ITSM writes it → (building, room)."""
    building, _, room = location.partition(",")
    room = room.strip()
    if room.lower().startswith("room "):
        room = room[5:].strip()
    return building.strip()[:160], room[:60]


@transaction.atomic
def ticket_apply_owner_lookup(
    *,
    ticket: RefreshTicket | int,
    asset_id: str = "",
    user=None,
    support_team=None,
    location: str = "",
    note: str = "",
    job: str = "owner_lookup",
) -> RefreshTicketEvent | None:
    """Take the user, support team and location the ITSM has for the ticket's system;
    what it lacks stays as the local system record set it at creation.

    Once per ticket (an "Owner lookup" event says which source each came from),
    and only while nobody has been written to yet (pending invite or ordering,
    no invite sent): a customer already asked keeps the ticket they were asked about.
    """
    current = lock_ticket(ticket)
    if RefreshTicketEvent.objects.filter(ticket=current, kind=EventKind.OWNER_LOOKUP).exists():
        return None
    open_to_change = (
        current.status in (S.PENDING_INVITE, S.PENDING_ORDERING) and not current.invite_sent_at
    )
    sources, fields = {}, []
    if user is not None and open_to_change and current.style != RefreshStyle.NO_CUSTOMER:
        current.user = user
        current.user_sort_name = user_sort_name(user)
        fields += ["user", "user_sort_name"]
    sources["user"] = ITSM if "user" in fields else LOCAL
    if support_team is not None and open_to_change:
        current.support_team = support_team
        current.team_sort_name = team_sort_name(support_team)
        fields += ["support_team", "team_sort_name"]
    sources["support team"] = ITSM if "support_team" in fields else LOCAL
    if location and open_to_change and not current.location_confirmed_at:
        current.location_building, current.location_room = _split_location(location)
        fields += ["location_building", "location_room"]
    sources["location"] = ITSM if "location_building" in fields else LOCAL
    if fields:
        current.save(update_fields=[*fields, "updated_at"])
    if "support_team" in fields:
        forget_status_counts()  # the list's counts under a team filter moved
    by_source: dict[str, list[str]] = {}
    for what, source in sources.items():
        by_source.setdefault(source, []).append(what)
    summary = "; ".join(
        f"{', '.join(whats).capitalize()} from {source}" for source, whats in by_source.items()
    )
    if asset_id:
        summary += f" (ITSM asset {asset_id})"
    if note:
        summary += f". {note}"
    return _record_event(
        ticket=current,
        kind=EventKind.OWNER_LOOKUP,
        summary=summary,
        payload={
            "asset_id": asset_id,
            "sources": sources,
            "user": current.user.email if current.user_id else "",
            "support_team": current.support_team.name if current.support_team_id else "",
            "location": " ".join(
                p for p in (current.location_building, current.location_room) if p
            ),
        },
        actor_label=job,
    )
