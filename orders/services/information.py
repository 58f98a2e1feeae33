"""Staff edit an order's type-specific information after submission (Ubersmith's
"Edit order information").

Only people with ``orders.edit_order_information`` (orders managers), only
until the order completes or is cancelled. Each save changes the fields that
differ through ``common.services.model_update`` and writes one audit row with
the before/after of each; the order must stay complete (what a submission
needs); the coordinator is emailed what changed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from orders.choices import OrderStatus
from orders.exceptions import OrderError, OrderPermissionDenied
from orders.models import Order

from ._core import order_fields_update, order_lock, status_label
from .drafts import TYPE_FIELDS, _draft_values, _scope_errors, order_submission_errors

EDITABLE_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)
PERMISSION = "orders.edit_order_information"


def order_information_editable(*, order: Order, user) -> bool:
    """May ``user`` edit ``order``'s information now (role and status)?"""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(PERMISSION)
        and order.status in EDITABLE_STATUSES
    )


def _label(name: str) -> str:
    label = str(Order._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


@transaction.atomic
def order_information_update(*, order: Order, actor, data: dict) -> dict[str, list[str]]:
    """Set the order's type-specific fields from ``data``; returns the changes.

    Raises ``OrderPermissionDenied`` without the permission, ``OrderError`` once
    the order is completed or cancelled (or still a draft: the coordinator edits
    those), ``ValidationError`` by field when a value is out of the organization
    or a field a submission needs is emptied (nothing is saved then).
    """
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(PERMISSION)):
        raise OrderPermissionDenied("Only orders managers may edit an order's information.")
    order = order_lock(order_id=order.pk)
    if order.status not in EDITABLE_STATUSES:
        raise OrderError(
            f"Order {order.number} is {status_label(order.status).lower()}; "
            + (
                "the coordinator edits drafts."
                if order.status == OrderStatus.DRAFT
                else "its information is final."
            )
        )
    allowed = TYPE_FIELDS[order.order_type]
    values, software = _draft_values(
        order.order_type, {k: v for k, v in data.items() if k in allowed}
    )
    errors = _scope_errors(
        organization_id=order.organization_id,
        existing_user=values.get("existing_user", order.existing_user),
        existing_placeholder=values.get("existing_placeholder", order.existing_placeholder),
    )
    if errors:
        raise ValidationError(errors)
    if software is not None:
        values["software"] = software

    def describe(changes) -> str:
        return "Information changed: " + "; ".join(
            f"{_label(name)}: {before} → {after}" for name, (before, after) in changes.items()
        )

    changes = order_fields_update(
        order=order,
        actor=actor,
        data=values,
        transition="information_changed",
        note=describe,
        m2m_fields=("software",),
    )
    if not changes:
        return changes
    still_needed = {
        field: message
        for field, message in order_submission_errors(order=order).items()
        if field in changes or field == "__all__" or field == "existing_user"
    }
    if still_needed:
        raise ValidationError(still_needed)  # rolls the save and its audit row back
    order.full_clean(exclude=["number", "software", "status"], validate_unique=False)
    from .notify_desk import order_information_changed_notify

    order_information_changed_notify(
        order=order,
        actor=actor,
        lines=[f"{_label(n)}: {before} → {after}" for n, (before, after) in changes.items()],
        key=f"order-{order.pk}-information-{order.audits.count()}",
    )
    return changes
