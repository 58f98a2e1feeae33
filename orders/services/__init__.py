"""Writes of the orders app (a package: one module per concern, one import path).

The staff pages add ``messages.py`` and ``staff.py`` beside these.
"""

from ._core import order_audit_add, order_number_allocate
from .automation import order_actions_advance, order_actions_sweep
from .notify import (
    order_confirmation_send,
    order_finish_link_send,
    order_notify_owner,
    order_notify_subscribers,
)
from .orders import (
    order_action_process,
    order_action_retry,
    order_action_skip,
    order_cancel,
    order_create_draft,
    order_hold,
    order_resume,
    order_submission_errors,
    order_submit,
    order_update_draft,
    order_username_taken,
)
from .portal import order_account_password_set, order_client_reply
from .queues import order_queues_ensure_defaults
from .secrets import (
    enduser_link_submit,
    enduser_secret_live,
    enduser_secret_reveal,
    enduser_secrets_purge_expired,
    enduser_secrets_rotate,
    orders_technician_team,
)

__all__ = [
    "enduser_link_submit",
    "enduser_secret_live",
    "enduser_secret_reveal",
    "enduser_secrets_purge_expired",
    "enduser_secrets_rotate",
    "order_account_password_set",
    "order_action_process",
    "order_action_retry",
    "order_action_skip",
    "order_actions_advance",
    "order_actions_sweep",
    "order_audit_add",
    "order_cancel",
    "order_client_reply",
    "order_confirmation_send",
    "order_create_draft",
    "order_finish_link_send",
    "order_hold",
    "order_notify_owner",
    "order_notify_subscribers",
    "order_queues_ensure_defaults",
    "order_number_allocate",
    "order_resume",
    "order_submission_errors",
    "order_submit",
    "order_update_draft",
    "order_username_taken",
    "orders_technician_team",
]
