"""What coordinators and emailed-link visitors do: replies, setting a new account's password."""

from __future__ import annotations

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from orders.choices import MessageKind, OrderStatus
from orders.exceptions import OrderError
from orders.models import Order, OrderMessage

from ._core import order_audit_add, order_lock


@transaction.atomic
def order_client_reply(*, order: Order, author, body: str) -> OrderMessage:
    """A coordinator's message on their order; the owner and subscribers get a copy."""
    body = (body or "").strip()
    if not body:
        raise OrderError("Write a message first.")
    order = order_lock(order_id=order.pk)
    if order.status == OrderStatus.CANCELLED:
        raise OrderError(f"Order {order.number} is cancelled; write to IT instead.")
    message = OrderMessage.objects.create(
        order=order, kind=MessageKind.REPLY, body=body, author=author, from_client=True
    )
    from .notify import order_client_message_notify

    order_client_message_notify(order=order, message=message)
    return message


@sensitive_variables("password")
def order_account_password_set(*, order: Order, link, password: str) -> None:
    """Set the new account's first password through the directory, then spend the link.

    The password goes straight to the directory adapter: it is never stored or logged.
    """
    from notifications.links import access_link_revoke

    from .automation.policy import directory_client  # looked up per call (tests patch it)

    if order.status == OrderStatus.CANCELLED or not order.new_username:
        raise OrderError("This order has no new account to set a password for.")
    client = directory_client()
    setter = getattr(client, "set_password", None)
    if setter is None:
        raise OrderError(
            "Setting the first password online is not available; call the service desk."
        )
    setter(
        username=order.new_username,
        password=password,
        idempotency_key=f"order-{order.number}-password-{link.pk}",
    )
    with transaction.atomic():
        access_link_revoke(link=link, reason="The password was set.")
        order_audit_add(
            order=order,
            job="account link",
            transition="account_password_set",
            from_status=order.status,
            to_status=order.status,
            note=f"The first password of {order.new_username} was set through the one-time link.",
        )
