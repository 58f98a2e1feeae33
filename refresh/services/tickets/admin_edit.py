"""What the Django admin may change on a refresh ticket, and how: through
``model_update`` with one audit row carrying each field's before and after
(issue 12: no edit without an audit row).

The status and everything a transition or job sets (replacement, booking,
approval, wizard and reminder times, ITSM bookkeeping) are never edited here;
the style only until the customer submits the wizard; a complete or cancelled
ticket not at all.
"""

from __future__ import annotations

from django.db import transaction

from common.services import model_update
from refresh.choices import FINAL_STATUSES, TicketStatus
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import RefreshTicket, RefreshTicketAudit
from refresh.models.shipping import LOCATION_FIELDS, SHIPPING_FIELDS
from refresh.models.sort_keys import team_sort_name

from .._core import actor_user, forget_status_counts, lock_ticket

# Data people give or staff correct; each change is audited.
ADMIN_EDITABLE_FIELDS = (
    "delegate",
    "support_team",
    "proposed_model",
    "chosen_model",
    "none_fits",
    "none_fits_reason",
    "inadequate_reason",
    "peripherals",
    "software_requests",
    *SHIPPING_FIELDS,
    *LOCATION_FIELDS,
    "tracking_number",
)
M2M = ("peripherals", "software_requests")
# Before the customer has submitted the wizard the style may still change.
STYLE_EDITABLE_STATUSES = frozenset({TicketStatus.PENDING_INVITE, TicketStatus.PENDING_CUSTOMER})


def ticket_admin_editable_fields(*, ticket: RefreshTicket) -> list[str]:
    """The fields the admin's change form of ``ticket`` may edit."""
    if ticket.pk is None or ticket.status in FINAL_STATUSES:
        return []
    fields = list(ADMIN_EDITABLE_FIELDS)
    if ticket.status in STYLE_EDITABLE_STATUSES and ticket.wizard_submitted_at is None:
        fields.insert(0, "style")
    return fields


@transaction.atomic
def ticket_admin_update(*, ticket: RefreshTicket, actor, data: dict) -> dict[str, list[str]]:
    """Save the admin's changes to ``ticket``: editable fields only, one ``admin_edited``
    audit row with the before and after of each changed field."""
    if not (
        getattr(actor, "is_authenticated", False) and actor.has_perm("refresh.change_refreshticket")
    ):
        raise TransitionDenied("You may not edit refresh tickets.")
    ticket = lock_ticket(ticket)
    refused = sorted(set(data) - set(ticket_admin_editable_fields(ticket=ticket)))
    if refused:
        raise RefreshError(
            f"{ticket.number} cannot change {', '.join(refused)} in the admin while it is "
            f"{ticket.get_status_display().lower()}."
        )

    def write_audit(changes):
        RefreshTicketAudit.objects.create(
            ticket=ticket,
            actor=actor_user(actor),
            transition="admin_edited",
            from_status=ticket.status,
            to_status=ticket.status,
            note="Edited in the admin: " + ", ".join(sorted(changes)) + ".",
            changes=changes,
        )

    _, changes = model_update(
        instance=ticket,
        data=data,
        actor=actor,
        audit=write_audit,
        m2m_fields=[name for name in M2M if name in data],
    )
    if "support_team" in changes:
        # The list's team sort key follows the team (refresh.models.sort_keys).
        ticket.team_sort_name = team_sort_name(ticket.support_team)
        ticket.save(update_fields=["team_sort_name"])
        forget_status_counts()  # the list's counts under a team filter moved
    return changes


__all__ = ["ticket_admin_editable_fields", "ticket_admin_update"]
