"""What orders staff change on an order besides its actions: dates, owner and
priority, the client organization, associated ITSM tickets, subscriptions.

Every change locks the order, saves with ``update_fields`` and writes an audit
row; emails (a new owner is told) go after commit through ``email_queue``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.services import model_update
from orders.choices import ITSMTicketStatus, OrderPriority
from orders.exceptions import OrderError, OrderPermissionDenied
from orders.models import Order, OrderITSMTicket, OrderSubscription

from ._core import completion_date_errors, order_audit_add, order_fields_update, order_lock


def require_orders_staff(actor) -> None:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.has_perm("orders.work_order")
    ):
        raise OrderPermissionDenied("You may not work on orders.")


DETAIL_LABELS = {
    "requested_completion_date": "Requested completion",
    "planned_completion_date": "Planned completion",
    "owner": "Owner",
    "priority": "Priority",
}


def _fmt(value, *, field: str = "") -> str:
    if field == "priority":
        return OrderPriority(value).label
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return f"{value:%b %-d, %Y}"
    return str(value)


@transaction.atomic
def order_details_update(
    *,
    order: Order,
    actor,
    requested_completion_date: date | None,
    planned_completion_date: date | None,
    owner,
    priority: str,
    note: str = "",
) -> Order:
    """Change the dates, owner and priority of an order; one audit row lists the changes.

    Final orders keep their details. A new owner (other than the actor) is
    emailed after commit.
    """
    require_orders_staff(actor)
    order = order_lock(order_id=order.pk)
    if order.is_final:
        raise OrderError(
            f"Order {order.number} is {order.get_status_display().lower()}; its details are final."
        )
    if priority not in OrderPriority.values:
        raise ValidationError({"priority": "Choose a priority."})
    if owner is not None and not (owner.is_active and owner.has_perm("orders.work_order")):
        raise ValidationError({"owner": f"{owner} does not work on orders."})
    wanted = {
        "requested_completion_date": requested_completion_date,
        "planned_completion_date": planned_completion_date,
        "owner": owner,
        "priority": priority,
    }
    before = {name: getattr(order, name) for name in wanted}
    date_errors = completion_date_errors(
        **{
            name: wanted[name]
            for name in ("requested_completion_date", "planned_completion_date")
            if wanted[name] != before[name]  # a date kept as it was stays valid
        }
    )
    if date_errors:
        raise ValidationError(date_errors)

    def describe(changes) -> str:
        parts = [
            f"{DETAIL_LABELS[name]}: {_fmt(before[name], field=name)} → "
            f"{_fmt(wanted[name], field=name)}"
            for name in wanted
            if name in changes
        ]
        return "; ".join(parts) + (f". {note.strip()}" if note.strip() else ".")

    changes = order_fields_update(
        order=order, actor=actor, data=wanted, transition="details_changed", note=describe
    )
    if "owner" in changes and owner is not None and owner.pk != actor.pk:
        from .notify import order_notify_owner

        audit_count = order.audits.count()
        order_notify_owner(
            order=order,
            key=f"order-{order.pk}-owner-{owner.pk}-{audit_count}",
            summary=f"{actor} made you the owner of order {order.number}.",
        )
    return order


@transaction.atomic
def order_organization_associate(*, order: Order, actor, organization) -> Order:
    """Associate the order with another client organization (audited).

    Only open orders move; the coordinators of the new organization see it from now on.
    """
    require_orders_staff(actor)
    order = order_lock(order_id=order.pk)
    if order.is_final:
        raise OrderError(
            f"Order {order.number} is {order.get_status_display().lower()}; "
            "it stays with its organization."
        )
    order_fields_update(
        order=order,
        actor=actor,
        data={"organization": organization},
        transition="organization_changed",
        note=lambda changes: "Client organization: {} → {}.".format(*changes["organization"]),
    )
    return order


@transaction.atomic
def order_itsm_ticket_add(
    *,
    order: Order,
    actor,
    itsm_id: str,
    title: str = "",
    url: str = "",
    status: str = ITSMTicketStatus.OPEN,
) -> OrderITSMTicket:
    """Associate an ITSM ticket with the order (each ITSM id once per order)."""
    require_orders_staff(actor)
    order = order_lock(order_id=order.pk)
    itsm_id = (itsm_id or "").strip()
    if not itsm_id:
        raise ValidationError({"itsm_id": "Enter the ITSM ticket number."})
    if status not in ITSMTicketStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if order.itsm_tickets.filter(itsm_id=itsm_id).exists():
        raise ValidationError({"itsm_id": f"ITSM ticket {itsm_id} is already on this order."})
    try:
        with transaction.atomic():
            ticket = OrderITSMTicket.objects.create(
                order=order, itsm_id=itsm_id, title=title.strip(), url=url.strip(), status=status
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"itsm_id": f"ITSM ticket {itsm_id} is already on this order."}
        ) from exc
    order_audit_add(
        order=order,
        actor=actor,
        transition="itsm_ticket_added",
        from_status=order.status,
        to_status=order.status,
        note=f"ITSM ticket {itsm_id} associated ({ticket.get_status_display().lower()}).",
    )
    return ticket


@transaction.atomic
def order_itsm_ticket_set_status(*, ticket: OrderITSMTicket, actor, status: str):
    """Open, hold or close an associated ITSM ticket (audited on the order)."""
    require_orders_staff(actor)
    order = order_lock(order_id=ticket.order_id)
    ticket = OrderITSMTicket.objects.select_for_update().get(pk=ticket.pk)
    if status not in ITSMTicketStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if ticket.status == status:
        return ticket
    previous = ticket.get_status_display()

    def audit(changes):
        order_audit_add(
            order=order,
            actor=actor,
            transition="itsm_ticket_status",
            from_status=order.status,
            to_status=order.status,
            note=f"ITSM ticket {ticket.itsm_id}: {previous} → {ticket.get_status_display()}.",
            changes=changes,
        )

    model_update(instance=ticket, data={"status": status}, actor=actor, audit=audit)
    return ticket


def order_subscribe(*, order: Order, user) -> OrderSubscription:
    """Subscribe ``user`` to the order's follow-ups, emails and comments (idempotent)."""
    require_orders_staff(user)
    subscription, _ = OrderSubscription.objects.get_or_create(
        order=order, user=user, defaults={"created_at": timezone.now()}
    )
    return subscription


def order_unsubscribe(*, order: Order, user) -> bool:
    """Stop the copies; True when a subscription was removed."""
    deleted, _ = OrderSubscription.objects.filter(order=order, user=user).delete()
    return bool(deleted)


__all__ = [
    "order_details_update",
    "order_itsm_ticket_add",
    "order_itsm_ticket_set_status",
    "order_organization_associate",
    "order_subscribe",
    "order_unsubscribe",
    "require_orders_staff",
]
