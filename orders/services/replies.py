"""What the order page's compose form starts with and offers: the default To and
Subject of a reply or follow-up, and canned responses with their placeholders filled.

Reads only; ``messages.order_message_post`` writes the message.
"""

from __future__ import annotations

import string

from django.db.models import Q

from orders.choices import CLIENT_VISIBLE_MESSAGE_KINDS
from orders.models import CannedResponse, Order, OrderSubscription


def message_subject_default(*, order: Order) -> str:
    """ "[Order 77812] Install software for Avery Garcia"."""
    about = order.subject_name
    return f"[Order {order.number}] {order.get_order_type_display()}" + (
        f" for {about}" if about else ""
    )


def staff_addresses(addresses) -> set[str]:
    """Which of ``addresses`` (lower case) belong to active people who work orders."""
    from accounts.models import User

    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return set()
    works = (
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename="work_order",
            groups__permissions__content_type__app_label="orders",
        )
        | Q(
            user_permissions__codename="work_order",
            user_permissions__content_type__app_label="orders",
        )
    )
    found = (
        User.objects.filter(is_active=True, email__in=[*wanted, *(a for a in addresses if a)])
        .filter(works)
        .values_list("email", flat=True)
        .distinct()
    )
    return {email.lower() for email in found} & wanted


def message_recipients_default(
    *, order: Order, kind: str, author=None, subscribers: list | None = None
) -> list[str]:
    """The To a message starts with: for a reply or client-viewable comment the order's
    contacts (the coordinator) and subscribers; for staff-only kinds the staff
    subscribers. The author is left out (they wrote it). ``subscribers``: the order's
    subscribed users in the order they subscribed, when the caller has read them."""
    from .notify import _coordinator_emails

    if subscribers is None:
        subscribers = list(
            OrderSubscription.objects.filter(order=order, user__is_active=True)
            .order_by("created_at", "id")
            .values_list("user__email", flat=True)
        )
    else:
        subscribers = [user.email for user in subscribers if user.is_active]
    if kind in CLIENT_VISIBLE_MESSAGE_KINDS:
        addresses = [*_coordinator_emails(order), *subscribers]
    else:
        staff = staff_addresses(subscribers)
        addresses = [a for a in subscribers if a.lower() in staff]
    mine = (getattr(author, "email", "") or "").lower()
    seen, result = set(), []
    for address in addresses:
        key = address.lower()
        if key and key != mine and key not in seen:
            seen.add(key)
            result.append(address)
    return result


class _Placeholders(dict):
    def __missing__(self, key):  # an unknown placeholder stays as written
        return "{" + key + "}"


def _values(*, order: Order, actor) -> dict[str, str]:
    coordinator = order.submitted_by
    return {
        "customer_name": order.subject_name or "",
        "coordinator_name": (coordinator.display_name if coordinator else "") or "",
        "order_number": str(order.number),
        "order_type": order.get_order_type_display(),
        "organization": order.organization.name,
        "status": order.get_status_display().lower(),
        "owner_name": order.owner.display_name if order.owner_id else "",
        "my_name": getattr(actor, "display_name", "") or str(actor or ""),
    }


def _fill(text: str, values: dict[str, str]) -> str:
    try:
        return string.Formatter().vformat(text, (), _Placeholders(values))
    except (ValueError, IndexError):  # a stray brace: leave the text as written
        return text


def canned_response_render(*, response: CannedResponse, order: Order, actor) -> dict[str, str]:
    """The response's subject and body with the order's placeholders filled."""
    values = _values(order=order, actor=actor)
    subject = message_subject_default(order=order)
    if response.subject:
        subject = f"[Order {order.number}] {_fill(response.subject, values)}"
    return {"subject": subject, "body": _fill(response.body, values)}


def canned_responses_for(*, order: Order):
    """Active responses offered on ``order``: its type's and those for every type."""
    return CannedResponse.objects.filter(active=True).filter(
        Q(order_type="") | Q(order_type=order.order_type)
    )


__all__ = [
    "canned_response_render",
    "canned_responses_for",
    "message_recipients_default",
    "message_subject_default",
    "staff_addresses",
]
