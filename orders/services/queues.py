"""The default queue of each order type (used by demo data, tests and a fresh install)."""

from __future__ import annotations

from django.db import transaction

from orders.choices import ActionKind, AutomationKey, OrderType
from orders.models import OrderActionTemplate, OrderQueue

from .queue_config import order_queue_for_type

A, M = ActionKind.AUTOMATED, ActionKind.MANUAL

# type -> (queue name, [(name, kind, automation, instructions)])
DEFAULT_QUEUES: dict[str, tuple[str, list[tuple[str, str, str, str]]]] = {
    OrderType.EMAIL_ONLY: (
        "Email accounts",
        [
            # Every step automated: a manual step appears only when the directory
            # says it needs a person (orders.services.automation).
            ("Create the account and mailbox", A, AutomationKey.CREATE_ACCOUNT, ""),
            ("Add the distribution groups", A, AutomationKey.ADD_GROUPS, ""),
            ("Grant the shared mailboxes", A, AutomationKey.GRANT_MAILBOXES, ""),
            (
                "Send the confirmation with the set-password link",
                A,
                AutomationKey.SEND_CONFIRMATION,
                "",
            ),
        ],
    ),
    OrderType.DEACTIVATE_FUTURE_REPLACEMENT: (
        "Deactivations (future replacement)",
        [
            ("Deactivate the account", A, AutomationKey.DEACTIVATE_ACCOUNT, ""),
            ("Park the workstation under its tmp name", A, AutomationKey.PARK_WORKSTATION, ""),
            ("Send the confirmation", A, AutomationKey.SEND_CONFIRMATION, ""),
        ],
    ),
    OrderType.DEACTIVATE_REPLACEMENT_NOW: (
        "Deactivations with replacement",
        [
            ("Deactivate the old account", A, AutomationKey.DEACTIVATE_ACCOUNT, ""),
            ("Create the new account and mailbox", A, AutomationKey.CREATE_ACCOUNT, ""),
            ("Add the new account's distribution groups", A, AutomationKey.ADD_GROUPS, ""),
            ("Grant the new account's shared mailboxes", A, AutomationKey.GRANT_MAILBOXES, ""),
            ("Recommission the desktop", A, AutomationKey.RECOMMISSION_DESKTOP, ""),
            (
                "Set up the new user's preferences",
                M,
                "",
                "Printers, applications and desk as the order lists them.",
            ),
            ("Send the confirmation with the sign-in link", A, AutomationKey.SEND_CONFIRMATION, ""),
        ],
    ),
    OrderType.INSTALL_SOFTWARE: (
        "Software installs",
        [
            ("Send the coordinator's confirmation", A, AutomationKey.SEND_CONFIRMATION, ""),
            ("Email the end user their secure link", A, AutomationKey.SEND_END_USER_LINK, ""),
            (
                "Install the software at the appointment",
                M,
                "",
                "Reveal the end user's password once on the order page, install, sign out.",
            ),
        ],
    ),
}


@transaction.atomic
def order_queues_ensure_defaults(*, team=()) -> list[OrderQueue]:
    """Create the default queue of every type that has no active queue; idempotent."""
    queues = []
    for order_type, (name, steps) in DEFAULT_QUEUES.items():
        queue = order_queue_for_type(order_type=order_type)
        if queue is None:
            queue, created = OrderQueue.objects.get_or_create(
                name=name, defaults={"order_type": order_type}
            )
            if created:
                OrderActionTemplate.objects.bulk_create(
                    OrderActionTemplate(
                        queue=queue,
                        position=position,
                        name=step_name,
                        kind=kind,
                        automation=automation,
                        instructions=instructions,
                    )
                    for position, (step_name, kind, automation, instructions) in enumerate(
                        steps, start=1
                    )
                )
        if team:
            queue.team.add(*team)
        queues.append(queue)
    return queues
