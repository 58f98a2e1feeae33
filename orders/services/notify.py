"""Emails of the orders app: confirmations, end-user links, updates, subscriber copies.

Every email goes through ``notifications.services.email_queue`` under a unique
key (never sent twice) and after commit. No email ever carries a password: new
accounts get a one-time link to set one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from orders.choices import (
    LINK_PURPOSE_ACCOUNT_ACCESS,
    LINK_PURPOSE_ORDER_SECRET,
    OrderType,
)
from orders.models import Order, OrderSubscription


def human_join(items: Iterable) -> str:
    """Names for a sentence: "A", "A and B", "A, B and C" (never a list's repr)."""
    names = [str(item) for item in items]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _coordinator_emails(order: Order) -> list[str]:
    emails = []
    if order.submitted_by_id and order.submitted_by.email:
        emails.append(order.submitted_by.email)
    # The primary contact is copied on every request of the organization (issue 13).
    primary = order.organization.primary_contact if order.organization.primary_contact_id else None
    if primary is not None and primary.email and primary.email not in emails:
        emails.append(primary.email)
    return emails


def _portal_url(order: Order) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("orders:portal_detail", args=[order.number])


def order_notify_subscribers(
    *,
    order: Order,
    key: str,
    subject: str,
    body: str,
    exclude_user_ids: Iterable[int] = (),
    author=None,
):
    """Copy a follow-up, email or comment to every subscriber of ``order``.

    ``key`` must be unique per event (e.g. ``f"order-msg-{message.pk}"``); the
    subscriber copy is keyed ``<key>-subscribers`` so it goes out once.
    """
    from notifications.services import email_queue

    excluded = set(exclude_user_ids)
    if author is not None:
        excluded.add(author.pk)
    emails = [
        sub.user.email
        for sub in OrderSubscription.objects.filter(order=order, user__is_active=True)
        .exclude(user_id__in=excluded)
        .select_related("user")
    ]
    return email_queue(
        key=f"{key}-subscribers",
        template="orders_update",
        to=emails,
        context={
            "order": order,
            "subject": subject,
            "body": body,
            "author": author,
            "order_url": _staff_url(order),
            "subscriber_copy": True,
        },
        related=order,
    )


def _staff_url(order: Order) -> str:
    from django.conf import settings
    from django.urls import NoReverseMatch

    try:
        return settings.SITE_URL + reverse("orders:staff_detail", args=[order.number])
    except NoReverseMatch:
        return settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk])


def order_notify_owner(*, order: Order, key: str, summary: str):
    from notifications.services import email_queue

    if not order.owner_id:
        return None
    return email_queue(
        key=key,
        template="orders_update",
        to=[order.owner.email],
        context={
            "order": order,
            "subject": summary,
            "body": summary,
            "order_url": _staff_url(order),
        },
        related=order,
    )


def order_confirmation_send(*, order: Order, key: str):
    """The coordinator's confirmation; new accounts get a one-time set-password link."""
    from notifications.links import access_link_issue
    from notifications.services import email_queue

    access_url = ""
    if order.order_type in (OrderType.EMAIL_ONLY, OrderType.DEACTIVATE_REPLACEMENT_NOW):
        issued = access_link_issue(
            target=order, purpose=LINK_PURPOSE_ACCOUNT_ACCESS, email=order.new_email
        )
        access_url = issued.url(reverse("orders:account_access", args=[issued.ref]))
    placeholder = order.placeholders.order_by("-id").first()
    context = {
        "order": order,
        "access_url": access_url,
        "placeholder": placeholder,
        "software_names": human_join(order.software.order_by("name")),
        "order_url": _portal_url(order),
    }
    email = email_queue(
        key=key,
        template="orders_confirmation",
        to=_coordinator_emails(order),
        context=context,
        related=order,
    )
    if email is not None:
        # Subscribers get the text without the one-time link: it is for one person.
        from notifications.services import render_email

        _subject, text, _html = render_email(
            template="orders_confirmation", context={**context, "access_url": ""}
        )
        order_notify_subscribers(
            order=order,
            key=key,
            subject=f"Confirmation sent for order {order.number}",
            body=text,
        )
    return email


def enduser_link_issue(*, order: Order):
    """A fresh secure link for the end user (earlier ones revoked)."""
    from notifications.links import access_link_issue

    return access_link_issue(
        target=order, purpose=LINK_PURPOSE_ORDER_SECRET, email=order.existing_user.email
    )


def order_enduser_link_send(*, order: Order, key: str):
    """The end user's secure link: give the password and pick an appointment."""
    from notifications.services import email_queue

    issued = enduser_link_issue(order=order)
    return email_queue(
        key=key,
        template="orders_enduser_link",
        to=[order.existing_user.email],
        context={
            "order": order,
            "link_url": issued.url(reverse("orders:enduser_link", args=[issued.ref])),
            "expires_at": issued.link.expires_at,
            "software_names": human_join(order.software.order_by("name")),
        },
        related=order,
    )


def order_completed_notify(*, order: Order):
    from notifications.services import email_queue

    body = f"Order {order.number} ({order.get_order_type_display()}) is completed."
    email = email_queue(
        key=f"order-{order.pk}-completed",
        template="orders_update",
        to=_coordinator_emails(order),
        context={
            "order": order,
            "subject": f"Order {order.number} is completed",
            "body": body,
            "order_url": _portal_url(order),
        },
        related=order,
    )
    order_notify_subscribers(
        order=order,
        key=f"order-{order.pk}-completed",
        subject=f"Order {order.number} completed",
        body=body,
    )
    return email


def order_client_message_notify(*, order: Order, message):
    """A coordinator wrote in the portal: the owner and subscribers get it."""
    from notifications.services import email_queue

    subject = f"Order {order.number}: new message from {message.author}"
    if order.owner_id and order.owner_id != message.author_id:
        email_queue(
            key=f"order-msg-{message.pk}-owner",
            template="orders_update",
            to=[order.owner.email],
            context={
                "order": order,
                "subject": subject,
                "body": message.body,
                "author": message.author,
                "order_url": _staff_url(order),
            },
            related=order,
        )
    order_notify_subscribers(
        order=order,
        key=f"order-msg-{message.pk}",
        subject=subject,
        body=message.body,
        exclude_user_ids=[order.owner_id] if order.owner_id else [],
        author=message.author,
    )


def appointment_place(*, order: Order, booking) -> str:
    """Where the visit happens: the slot's location note, else the end user's computer."""
    return booking.slot.location_note or f"at the end user's desk ({order.workstation})"


def order_appointment_booked_notify(*, order: Order, booking, key: str):
    """Tell the order's owner (the technician) the end user booked: number, customer,
    time and place in the subject and body, with an .ics for their calendar."""
    from notifications.services import Attachment, email_queue
    from scheduling.ics import booking_ics

    if not order.owner_id:
        return None
    customer = f"{order.subject_name} ({order.organization.name})"
    place = appointment_place(order=order, booking=booking)
    return email_queue(
        key=key,
        template="orders_appointment_booked",
        to=[order.owner.email],
        context={
            "order": order,
            "booking": booking,
            "customer": customer,
            "place": place,
            "software_names": human_join(order.software.order_by("name")),
            "order_url": _staff_url(order),
        },
        related=order,
        attachments=[
            Attachment(
                filename="appointment.ics",
                content=booking_ics(
                    booking=booking,
                    summary=f"Order {order.number}: install for {customer}",
                    description=f"{place}. {_staff_url(order)}",
                    attendee_email=order.owner.email,
                ),
                mimetype="text/calendar",
            )
        ],
    )
