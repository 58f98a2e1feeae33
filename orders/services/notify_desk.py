"""Emails of the order desk's later additions: appointment moves and cancellations
(to the end user), information changes (to the coordinator).

Appointments: the end user gets the new time (or the cancellation) with an .ics;
a moved appointment is a new event, the old one is cancelled by UID in a second
file, so calendars that imported the first invite follow.
"""

from __future__ import annotations

from orders.models import Order

from .notify import _coordinator_emails, _portal_url, appointment_place, human_join


def order_appointment_changed_notify(
    *, order: Order, booking, previous, key: str, reason: str = ""
):
    """Email the end user the appointment's new time (``booking`` active) or its
    cancellation (``booking`` cancelled), with an .ics for their calendar."""
    from notifications.services import Attachment, email_queue
    from scheduling.ics import booking_ics

    person = order.existing_user
    if person is None or not person.email:
        return None
    cancelled = booking.cancelled_at is not None
    place = appointment_place(order=order, booking=booking)
    summary = f"IT visit: software install (order {order.number})"
    attachments = [
        Attachment(
            filename="appointment.ics",
            content=booking_ics(
                booking=booking,
                summary=summary,
                description=f"{place}. Computer {order.workstation}.",
                attendee_email=person.email,
            ),
            mimetype="text/calendar",
        )
    ]
    if previous is not None and previous.cancelled_at is not None:
        attachments.append(
            Attachment(
                filename="cancelled-appointment.ics",
                content=booking_ics(
                    booking=previous,
                    summary=summary,
                    description="Moved to another time.",
                    attendee_email=person.email,
                ),
                mimetype="text/calendar",
            )
        )
    return email_queue(
        key=key,
        template="orders_appointment_changed",
        to=[person.email],
        context={
            "order": order,
            "booking": booking,
            "previous": previous,
            "cancelled": cancelled,
            "reason": reason,
            "place": place,
            "software_names": human_join(order.software.order_by("name")),
        },
        related=order,
        attachments=attachments,
    )


def order_information_changed_notify(*, order: Order, actor, lines: list[str], key: str):
    """Tell the order's coordinator what staff changed in its information, before → after."""
    from notifications.services import email_queue

    body = f"{actor} changed the information of order {order.number}:\n" + "\n".join(
        f"- {line}" for line in lines
    )
    return email_queue(
        key=key,
        template="orders_update",
        to=_coordinator_emails(order),
        context={
            "order": order,
            "subject": f"Order {order.number}: its information was changed",
            "body": body,
            "order_url": _portal_url(order),
        },
        related=order,
    )
