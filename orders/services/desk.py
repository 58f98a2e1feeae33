"""Small order-desk writes other services share: assigning the order to someone."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from orders.models import Order

from ._core import order_fields_update


def order_owner_assign(*, order: Order, actor, owner) -> bool:
    """Make ``owner`` the owner of the (locked) ``order``: one audit row with before/after,
    the new owner emailed after commit unless they did it. False when already theirs."""
    if not (owner.is_active and owner.has_perm("orders.work_order")):
        raise ValidationError({"assign_order_to": f"{owner} does not work on orders."})
    changes = order_fields_update(
        order=order,
        actor=actor,
        data={"owner": owner},
        transition="owner_changed",
        note=lambda changes: "Owner: {} → {}.".format(*changes["owner"]),
    )
    if changes and owner.pk != getattr(actor, "pk", None):
        from .notify import order_notify_owner

        order_notify_owner(
            order=order,
            key=f"order-{order.pk}-owner-{owner.pk}-{order.audits.count()}",
            summary=f"{actor} assigned order {order.number} to you.",
        )
    return bool(changes)
