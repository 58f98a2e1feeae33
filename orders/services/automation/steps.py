"""Each automated step: its directory call (outside any transaction) and the
database side of a success (inside the record transaction)."""

from __future__ import annotations

from django.utils import timezone

from orders.choices import AutomationKey
from orders.models import Order, OrderAction, WorkstationPlaceholder

from . import policy
from .policy import _Permanent


def _placeholder_name(order: Order) -> str:
    return WorkstationPlaceholder.name_for(workstation=order.workstation, order_number=order.number)


def _call_adapter(action: OrderAction, order: Order) -> dict:
    """The outside call of an automated action (no database writes here)."""
    key = f"order-{order.number}-action-{action.pk}"
    auto = action.automation
    if auto in (AutomationKey.SEND_CONFIRMATION, AutomationKey.SEND_END_USER_LINK):
        return {}
    if auto == AutomationKey.DEACTIVATE_ACCOUNT and not order.existing_username:
        return {"skipped": "A parked workstation has no account to deactivate."}
    if auto == AutomationKey.ADD_GROUPS and not order.distribution_groups:
        return {"skipped": "The order names no distribution groups."}
    if auto == AutomationKey.GRANT_MAILBOXES and not order.shared_mailboxes:
        return {"skipped": "The order names no shared mailboxes."}
    client = policy.directory_client()
    if auto == AutomationKey.CREATE_ACCOUNT:
        result = client.create_account(
            username=order.new_username,
            full_name=order.new_full_name,
            email=order.new_email,
            distribution_groups=[],
            shared_mailboxes=[],
            idempotency_key=key,
        )
    elif auto == AutomationKey.ADD_GROUPS:
        result = client.add_to_groups(
            username=order.new_username,
            groups=list(order.distribution_groups),
            idempotency_key=key,
        )
    elif auto == AutomationKey.GRANT_MAILBOXES:
        result = client.grant_mailboxes(
            username=order.new_username,
            mailboxes=list(order.shared_mailboxes),
            idempotency_key=key,
        )
    elif auto == AutomationKey.PROVISION_MAILBOX:
        result = client.create_account(
            username=order.new_username,
            full_name=order.new_full_name,
            email=order.new_email,
            distribution_groups=list(order.distribution_groups),
            shared_mailboxes=list(order.shared_mailboxes),
            idempotency_key=key,
        )
    elif auto == AutomationKey.DEACTIVATE_ACCOUNT:
        result = client.deactivate_account(username=order.existing_username, idempotency_key=key)
    elif auto == AutomationKey.PARK_WORKSTATION:
        result = client.rename_computer(
            workstation=order.workstation, new_name=_placeholder_name(order), idempotency_key=key
        )
    elif auto == AutomationKey.RECOMMISSION_DESKTOP:
        placeholder = order.existing_placeholder
        if placeholder is not None:
            # The parked computer carries its tmp name: give it its name back first
            # (its own key, so a retry repeats neither call).
            client.rename_computer(
                workstation=placeholder.name,
                new_name=order.workstation,
                idempotency_key=f"{key}-unpark",
            )
        result = client.recommission_desktop(
            workstation=order.workstation, username=order.new_username, idempotency_key=key
        )
    else:
        raise _Permanent(f"Unknown automation {auto!r}.")
    return _as_dict(result)


def _as_dict(result) -> dict:
    if result is None:
        return {}
    if isinstance(result, dict):
        return {k: str(v) for k, v in result.items()}
    if hasattr(result, "__dataclass_fields__"):
        return {name: str(getattr(result, name)) for name in result.__dataclass_fields__}
    return {"result": str(result)}


def _apply_effects(action: OrderAction, order: Order) -> None:
    """Database-side effects of a successful action (inside the record transaction)."""
    from ..notify import order_confirmation_send, order_enduser_link_send

    key = f"order-{order.number}-action-{action.pk}"
    if action.automation == AutomationKey.PARK_WORKSTATION:
        WorkstationPlaceholder.objects.get_or_create(
            name=_placeholder_name(order),
            defaults={
                "workstation": order.workstation,
                "organization": order.organization,
                "order": order,
            },
        )
    elif action.automation == AutomationKey.RECOMMISSION_DESKTOP and order.existing_placeholder_id:
        WorkstationPlaceholder.objects.filter(pk=order.existing_placeholder_id, active=True).update(
            active=False, released_at=timezone.now()
        )
    elif action.automation == AutomationKey.SEND_CONFIRMATION:
        order_confirmation_send(order=order, key=key)
    elif action.automation == AutomationKey.SEND_END_USER_LINK:
        order_enduser_link_send(order=order, key=key)
