"""Time staff log on a request or one of its actions; each change is on the order's audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.services import display_value
from orders.models import Order, OrderAction, TimeEntry

from ._core import order_audit_add
from .staff import require_orders_staff

MAX_MINUTES = 24 * 60


def _minutes_text(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _check(*, order: Order, minutes, worked_on, action: OrderAction | None) -> None:
    errors = {}
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = f"Enter between 1 and {MAX_MINUTES} minutes (one day)."
    if worked_on is None:
        errors["worked_on"] = "Enter the day the work was done."
    elif worked_on > timezone.localdate():
        errors["worked_on"] = "Time is logged for today or an earlier day."
    if action is not None and action.order_id != order.pk:
        errors["action"] = "Choose an action of this request."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def time_entry_log(
    *,
    order: Order,
    person,
    minutes: int,
    worked_on=None,
    note: str = "",
    billable: bool = True,
    action: OrderAction | None = None,
) -> TimeEntry:
    """Log ``minutes`` of ``person``'s work on the order (or one of its actions)."""
    require_orders_staff(person)
    worked_on = worked_on or timezone.localdate()
    _check(order=order, minutes=minutes, worked_on=worked_on, action=action)
    entry = TimeEntry.objects.create(
        order=order,
        action=action,
        person=person,
        minutes=minutes,
        worked_on=worked_on,
        note=(note or "").strip()[:500],
        billable=billable,
    )
    order_audit_add(
        order=order,
        actor=person,
        transition="time_logged",
        from_status=order.status,
        to_status=order.status,
        note=f"{_minutes_text(minutes)} logged for {worked_on.isoformat()}"
        + (f" on “{action.name}”" if action else "")
        + ("" if billable else " (not billable)")
        + ".",
    )
    return entry


@transaction.atomic
def time_entry_update(*, entry: TimeEntry, actor, data: dict) -> TimeEntry:
    """Change a time entry; the audit row keeps the before/after of each field."""
    require_orders_staff(actor)
    entry = TimeEntry.objects.select_for_update().select_related("order").get(pk=entry.pk)
    _check(
        order=entry.order,
        minutes=data.get("minutes", entry.minutes),
        worked_on=data.get("worked_on", entry.worked_on),
        action=data.get("action", entry.action),
    )
    changes, fields = {}, []
    for name in ("minutes", "worked_on", "note", "billable", "action"):
        if name in data and getattr(entry, name) != data[name]:
            changes[name] = [display_value(getattr(entry, name)), display_value(data[name])]
            setattr(entry, name, data[name])
            fields.append(name)
    if not changes:
        return entry
    entry.save(update_fields=fields)
    order_audit_add(
        order=entry.order,
        actor=actor,
        transition="time_edited",
        from_status=entry.order.status,
        to_status=entry.order.status,
        note=f"Time entry of {entry.person} for {entry.worked_on.isoformat()} changed.",
        changes=changes,
    )
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, actor) -> None:
    """Delete a time entry; the audit row says what it was."""
    require_orders_staff(actor)
    entry = TimeEntry.objects.select_for_update().select_related("order", "person").get(pk=entry.pk)
    order = entry.order
    order_audit_add(
        order=order,
        actor=actor,
        transition="time_deleted",
        from_status=order.status,
        to_status=order.status,
        note=f"Time entry deleted: {_minutes_text(entry.minutes)} of {entry.person} "
        f"for {entry.worked_on.isoformat()}.",
    )
    entry.delete()


__all__ = ["time_entry_delete", "time_entry_log", "time_entry_update"]
