"""The owner lookup that follows every ticket's creation: the ITSM's asset record
for the system being replaced (owner, support group, location)."""

from __future__ import annotations

from accounts.models import SupportTeam, User
from integrations.itsm import PermanentITSMError, get_itsm_client
from refresh.services.tickets import ticket_apply_owner_lookup

from ._common import ticket_for_job


def ticket_owner_lookup(*, ticket_id: int) -> bool:
    """Ask the ITSM who owns the ticket's system; apply what it knows, once.

    Transient ITSM errors propagate (the task retries); a refused lookup or an
    unknown asset keeps the local record, and the event says so. An owner email
    or support group Handover does not know is reported and the local one kept.
    """
    ticket = ticket_for_job(ticket_id)
    if ticket is None:
        return False
    serial = ticket.existing_system.serial_number
    try:
        owner = get_itsm_client().find_asset_owner(serial_number=serial)
    except PermanentITSMError as exc:
        return bool(ticket_apply_owner_lookup(ticket=ticket, note=f"The ITSM refused: {exc}"))
    if owner is None:
        return bool(
            ticket_apply_owner_lookup(ticket=ticket, note=f"The ITSM has no asset {serial}.")
        )
    notes = []
    user = team = None
    if owner.owner_email:
        user = User.objects.filter(email__iexact=owner.owner_email, is_active=True).first()
        if user is None:
            notes.append(f"The ITSM's owner {owner.owner_email} has no account here.")
    if owner.support_group:
        team = SupportTeam.objects.filter(name__iexact=owner.support_group).first()
        if team is None:
            notes.append(f"The ITSM's support group “{owner.support_group}” is not a team here.")
    return bool(
        ticket_apply_owner_lookup(
            ticket=ticket,
            asset_id=owner.asset_id,
            user=user,
            support_team=team,
            location=owner.location,
            note=" ".join(notes),
        )
    )
