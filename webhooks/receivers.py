"""Raise webhook events from the audit rows the apps already write (post_save).

A decoupled, optional reaction (docs/architecture.md, "Signals"): the apps'
services stay unaware of webhooks. Each receiver runs inside the transaction
that saved the row, so deliveries exist only if that transaction commits.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from scheduling.selectors import bookings_for

from .choices import WebhookEvent
from .selectors import endpoint_ids_for_event
from .services import webhook_event_raise

ORDER_TRANSITIONS = {
    "submit": WebhookEvent.ORDER_SUBMITTED,
    "action_done": WebhookEvent.ORDER_STEP_DONE,
    "action_skipped": WebhookEvent.ORDER_STEP_DONE,
    "complete": WebhookEvent.ORDER_COMPLETED,
    "cancel": WebhookEvent.ORDER_CANCELLED,
}
# booking_reschedule cancels the old booking with this reason, then books the new slot.
RESCHEDULE_REASON = "Rescheduled"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def order_audit_saved(sender, instance, created, raw=False, **kwargs):
    event = ORDER_TRANSITIONS.get(instance.transition)
    if not created or raw or event is None:
        return
    order = instance.order
    webhook_event_raise(
        event=event,
        data={
            "order": {
                "number": order.number,
                "order_type": order.order_type,
                "status": order.status,
                "organization_id": order.organization_id,
            },
            "transition": instance.transition,
            "from_status": instance.from_status,
            "to_status": instance.to_status,
            "note": instance.note,
            "at": _when(instance.created_at),
        },
    )


def ticket_audit_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.from_status == instance.to_status:
        return
    webhook_event_raise(
        event=WebhookEvent.TICKET_STATUS_CHANGED,
        data={
            "ticket": {"id": instance.ticket_id, "number": f"RT-{instance.ticket_id:05d}"},
            "transition": instance.transition,
            "from_status": instance.from_status,
            "to_status": instance.to_status,
            "note": instance.note,
            "at": _when(instance.created_at),
        },
    )


def _booking_data(booking) -> dict:
    booked_type = ContentType.objects.get_for_id(booking.booked_type_id)
    return {
        "booking": {
            "id": booking.pk,
            "slot_id": booking.slot_id,
            "booked": f"{booked_type.app_label}.{booked_type.model}",
            "booked_id": booking.booked_id,
        }
    }


def booking_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    booking_events = (
        WebhookEvent.BOOKING_MADE,
        WebhookEvent.BOOKING_MOVED,
        WebhookEvent.BOOKING_CANCELLED,
    )
    if raw or not any(endpoint_ids_for_event(event=e) for e in booking_events):
        return
    if created:
        moved_from = _moved_from(instance)
        data = _booking_data(instance)
        if moved_from is not None:
            data["from_slot_id"] = moved_from
            webhook_event_raise(event=WebhookEvent.BOOKING_MOVED, data=data)
        else:
            webhook_event_raise(event=WebhookEvent.BOOKING_MADE, data=data)
    elif instance.cancelled_at is not None and "cancelled_at" in (update_fields or ()):
        if instance.cancel_reason == RESCHEDULE_REASON:
            return  # reported as booking.moved when the new booking is made
        data = _booking_data(instance)
        data["reason"] = instance.cancel_reason
        webhook_event_raise(event=WebhookEvent.BOOKING_CANCELLED, data=data)


def _moved_from(booking) -> int | None:
    previous = (
        bookings_for(obj=booking.booked_object)
        .filter(cancel_reason=RESCHEDULE_REASON, cancelled_at__isnull=False)
        .exclude(pk=booking.pk)
        .order_by("-cancelled_at", "-id")
        .first()
    )
    if previous is None or (booking.created_at - previous.cancelled_at).total_seconds() > 5:
        return None
    return previous.slot_id
