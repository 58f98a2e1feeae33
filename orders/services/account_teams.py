"""Account teams (Autotask): the staff who look after an organization are told of each
new request from it (the organization or one below it)."""

from __future__ import annotations

from accounts.models import User
from orders.models import Order

from .notify import _staff_url


def account_team_members(*, order: Order) -> list[User]:
    """Active account-team members of the order's organization and the ones above it."""
    ids, current = [], order.organization
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return list(
        User.objects.filter(account_team_for__in=ids, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def order_account_team_notify(*, order: Order) -> None:
    """Email the account team of a newly submitted request once (key per order);
    the owner is not told twice."""
    from notifications.services import email_queue

    members = [m for m in account_team_members(order=order) if m.pk != order.owner_id]
    if not members:
        return
    kind = order.request_type.name if order.request_type_id else order.get_order_type_display()
    email_queue(
        key=f"order-{order.pk}-account-team",
        template="orders_account_team_new_request",
        to=[m.email for m in members],
        context={
            "order": order,
            "kind": kind,
            "organization": order.organization.name,
            "owner": order.owner.display_name if order.owner_id else "nobody yet",
            "order_url": _staff_url(order),
        },
        related=order,
    )


__all__ = ["account_team_members", "order_account_team_notify"]
