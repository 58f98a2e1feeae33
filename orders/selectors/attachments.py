"""Who may download an order attachment: one rule per audience (deny by default)."""

from __future__ import annotations

from django.db.models import QuerySet

from orders.choices import CLIENT_VISIBLE_MESSAGE_KINDS
from orders.models import OrderAttachment
from orders.roles import can_work_orders

from .portal import orders_for_portal


def portal_attachment_get(*, user, number: int, pk: int) -> OrderAttachment | None:
    """An attachment of a client-viewable message of an order the coordinator sees."""
    order = orders_for_portal(user=user).filter(number=number).first()
    if order is None:
        return None
    return (
        OrderAttachment.objects.filter(
            pk=pk, message__order=order, message__kind__in=CLIENT_VISIBLE_MESSAGE_KINDS
        )
        .select_related("message")
        .first()
    )


def staff_attachment_get(*, user, pk: int) -> OrderAttachment | None:
    """An attachment for download by orders staff; None for anyone else."""
    if not can_work_orders(user):
        return None
    return OrderAttachment.objects.select_related("message__order").filter(pk=pk).first()


def order_attachments_visible(*, order, client_only: bool) -> QuerySet[OrderAttachment]:
    """The attachments of ``order`` (the caller has already checked it may see the order).

    ``client_only``: only those of client-viewable messages, as the portal shows them.
    """
    qs = OrderAttachment.objects.filter(message__order=order)
    if client_only:
        qs = qs.filter(message__kind__in=CLIENT_VISIBLE_MESSAGE_KINDS)
    return qs.select_related("message").order_by("created_at", "id")


def attachment_for_download(*, user, pk: int, number: int | None = None):
    """The staff pages' attachment (no ``number``) or a portal order's (``number``)."""
    if number is None:
        return staff_attachment_get(user=user, pk=pk)
    return portal_attachment_get(user=user, number=number, pk=pk)
