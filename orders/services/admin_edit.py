"""What the Django admin may change on an order, and how: through ``model_update``
with one audit row (issue 12: no edit without an audit row).

The status and everything a transition sets (queue, number, dates of submission,
completion and cancellation, the resolved username) are never edited here; the
order's type only while it is a draft; a completed or cancelled order not at all.
"""

from __future__ import annotations

from django.db import transaction

from orders.choices import FINAL_ORDER_STATUSES, OrderStatus
from orders.exceptions import OrderError, OrderPermissionDenied
from orders.models import Order

from ._core import order_fields_update, order_lock
from .drafts import COMMON_FIELDS, TYPE_FIELDS

# Staff fields any open order may change in the admin, besides its type's fields.
STAFF_FIELDS = ("planned_completion_date", "owner", "priority")


def order_admin_editable_fields(*, order: Order) -> list[str]:
    """The fields the admin's change form of ``order`` may edit."""
    if order.pk is None or order.status in FINAL_ORDER_STATUSES:
        return []
    fields = [*COMMON_FIELDS, *STAFF_FIELDS, *TYPE_FIELDS[order.order_type]]
    if order.status == OrderStatus.DRAFT:
        fields.insert(0, "order_type")
    return fields


@transaction.atomic
def order_admin_update(*, order: Order, actor, data: dict) -> dict[str, list[str]]:
    """Save the admin's changes to ``order``: only editable fields, one ``admin_edited``
    audit row with the before and after of each changed field."""
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("orders.change_order")):
        raise OrderPermissionDenied("You may not edit orders.")
    order = order_lock(order_id=order.pk)
    allowed = set(order_admin_editable_fields(order=order))
    refused = sorted(set(data) - allowed)
    if refused:
        raise OrderError(
            f"Order {order.number} cannot change {', '.join(refused)} in the admin "
            f"while it is {order.get_status_display().lower()}."
        )
    return order_fields_update(
        order=order,
        actor=actor,
        data=data,
        transition="admin_edited",
        note=lambda changes: "Edited in the admin: " + ", ".join(sorted(changes)) + ".",
        m2m_fields=tuple(name for name in ("software",) if name in data),
    )


__all__ = ["order_admin_editable_fields", "order_admin_update"]
