"""Staff actions on the stand-in ITSM (the stub page): drive a lifecycle by hand."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .itsm.protocol import TicketState
from .models import StubITSMAsset, StubITSMTicket, StubSettings

SETTABLE_STATES = {TicketState.INSTALLED, TicketState.CLOSED, TicketState.OPEN}


@transaction.atomic
def stub_ticket_set_status(*, ticket_id: int, status: str, by) -> StubITSMTicket:
    if status not in SETTABLE_STATES:
        raise ValidationError(f"{status!r} is not a status you can set here.")
    ticket = StubITSMTicket.objects.select_for_update().get(pk=ticket_id)
    ticket.status = status
    ticket.feed = [
        *ticket.feed,
        {"at": timezone.now().isoformat(), "text": f"Status set to {status} by {by}."},
    ]
    ticket.save(update_fields=["status", "feed", "modified_at"])
    return ticket


def stub_asset_create(*, serial_number: str, name: str = "") -> tuple[StubITSMAsset, bool]:
    serial = serial_number.strip().upper()
    if not serial:
        raise ValidationError("Enter a serial number.")
    # Bounds of the column, and no control characters (PostgreSQL refuses NUL).
    limit = StubITSMAsset._meta.get_field("serial_number").max_length
    if len(serial) > limit or not serial.isprintable():
        raise ValidationError(
            f"Enter a serial number of at most {limit} letters, digits and signs."
        )
    return StubITSMAsset.objects.get_or_create(serial_number=serial, defaults={"name": name})


def _stub_switch_set(field: str, on: bool) -> StubSettings:
    settings_row = StubSettings.current()
    setattr(settings_row, field, on)
    settings_row.save(update_fields=[field])
    return settings_row


def stub_outage_set(*, on: bool) -> StubSettings:
    """Every ITSM call fails as a transient error while on."""
    return _stub_switch_set("itsm_outage", on)


def stub_create_timeout_set(*, on: bool) -> StubSettings:
    """Arm (one shot) a ticket create that saves, then answers with a timeout."""
    return _stub_switch_set("itsm_create_times_out", on)
