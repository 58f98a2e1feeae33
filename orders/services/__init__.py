"""Writes of the orders app (a package: one module per concern, one import path).

``drafts`` (drafts and submission), ``orders`` (lifecycle after submission),
``automation`` (automated actions), ``staff`` (what staff change on an order),
``messages`` (the thread), ``portal`` (coordinator replies, first passwords),
``secrets`` (end-user passwords), ``notify`` (emails), ``queues`` (defaults);
``_core`` holds the transition runner and audit helpers they share.
"""

from ._core import COMPLETION_DATE_MAX_DAYS, order_audit_add, order_number_allocate
from .admin_edit import order_admin_editable_fields, order_admin_update
from .assignment import order_assignment_choose
from .automation import (
    MAX_ATTEMPTS,
    directory_username_exists,
    order_actions_advance,
    order_actions_sweep,
)
from .custom_fields import custom_answers
from .drafts import (
    order_create_draft,
    order_submission_errors,
    order_submit,
    order_update_draft,
    order_username_taken,
)
from .messages import (
    MAX_ATTACHMENTS_PER_MESSAGE,
    attachment_content_type,
    attachment_errors,
    order_message_notify,
    order_message_post,
)
from .notify import (
    order_confirmation_send,
    order_notify_owner,
    order_notify_subscribers,
)
from .orders import (
    order_action_process,
    order_action_retry,
    order_action_skip,
    order_cancel,
    order_hold,
    order_resume,
)
from .planned_work import order_action_plan
from .portal import order_account_password_set, order_client_reply
from .queue_config import order_queue_for_type, order_queue_save, order_queue_type_clashes
from .queues import order_queues_ensure_defaults
from .request_types import (
    custom_field_add,
    custom_field_remove,
    custom_field_update,
    order_custom_values_update,
    request_save,
    request_type_save,
    request_type_usable,
)
from .secrets import (
    enduser_link_submit,
    enduser_secret_live,
    enduser_secret_reveal,
    enduser_secrets_purge,
    enduser_secrets_purge_expired,
    enduser_secrets_rotate,
    orders_technician_team,
)
from .staff import (
    order_details_update,
    order_itsm_ticket_add,
    order_itsm_ticket_set_status,
    order_organization_associate,
    order_subscribe,
    order_unsubscribe,
    require_orders_staff,
)
from .time_entries import time_entry_delete, time_entry_log, time_entry_update

__all__ = [
    "order_action_plan",
    "custom_answers",
    "custom_field_add",
    "custom_field_remove",
    "custom_field_update",
    "order_assignment_choose",
    "order_custom_values_update",
    "request_save",
    "request_type_save",
    "request_type_usable",
    "time_entry_delete",
    "time_entry_log",
    "time_entry_update",
    "COMPLETION_DATE_MAX_DAYS",
    "MAX_ATTACHMENTS_PER_MESSAGE",
    "MAX_ATTEMPTS",
    "attachment_content_type",
    "attachment_errors",
    "directory_username_exists",
    "enduser_link_submit",
    "enduser_secret_live",
    "enduser_secret_reveal",
    "enduser_secrets_purge",
    "enduser_secrets_purge_expired",
    "enduser_secrets_rotate",
    "order_account_password_set",
    "order_action_process",
    "order_admin_editable_fields",
    "order_admin_update",
    "order_action_retry",
    "order_action_skip",
    "order_actions_advance",
    "order_actions_sweep",
    "order_audit_add",
    "order_cancel",
    "order_client_reply",
    "order_confirmation_send",
    "order_create_draft",
    "order_details_update",
    "order_hold",
    "order_itsm_ticket_add",
    "order_itsm_ticket_set_status",
    "order_message_notify",
    "order_message_post",
    "order_notify_owner",
    "order_notify_subscribers",
    "order_number_allocate",
    "order_organization_associate",
    "order_queue_for_type",
    "order_queue_save",
    "order_queue_type_clashes",
    "order_queues_ensure_defaults",
    "order_resume",
    "order_submission_errors",
    "order_submit",
    "order_subscribe",
    "order_unsubscribe",
    "order_update_draft",
    "order_username_taken",
    "orders_technician_team",
    "require_orders_staff",
]
