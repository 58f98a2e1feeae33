"""Helpers for the staff order manager tests: orders made through the core services."""

from orders.choices import OrderType
from orders.services import order_create_draft, order_submit


def submitted_email_order(*, coordinator, commit, **data):
    """An email-only order submitted by ``coordinator``; automation ran (fake directory
    or stub) and the directory has no shared mailbox ``frontdesk@example.edu``, so the
    order waits on its step 3 "Grant the shared mailboxes", now manual (needs a person)."""
    values = {
        "new_full_name": "Nia New",
        "new_username": f"nnew{coordinator.pk}",
        "new_email": f"nnew{coordinator.pk}@example.edu",
        "shared_mailboxes": ["frontdesk@example.edu"],
    }
    values.update(data)
    order = order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data=values,
    )
    with commit():
        order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    return order


def draft_email_order(*, coordinator, **data):
    values = {"new_full_name": "Dee Draft"}
    values.update(data)
    return order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data=values,
    )
