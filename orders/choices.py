from django.db import models


class OrderType(models.TextChoices):
    # A new mailbox-only account: name, username, email, groups, shared mailboxes.
    EMAIL_ONLY = "email_only", "Email only"
    # Deactivate a user now; their workstation is parked under a tmp placeholder.
    DEACTIVATE_FUTURE_REPLACEMENT = (
        "deactivate_future_replacement",
        "Deactivate with future replacement",
    )
    # Deactivate a user (or release a placeholder) and set up the new user now.
    DEACTIVATE_REPLACEMENT_NOW = "deactivate_replacement_now", "Deactivate with replacement now"
    # Install software on an end user's workstation, with an appointment.
    INSTALL_SOFTWARE = "install_software", "Install software"
    # A request of a staff-defined request type (its custom fields hold the answers).
    REQUEST = "request", "Request"


class OrderStatus(models.TextChoices):
    # Started by a coordinator (or staff) and not yet submitted; editable.
    DRAFT = "draft", "Draft"
    # Submitted; actions copied from the queue, none processed yet.
    SUBMITTED = "submitted", "Submitted"
    # At least one action ran or was processed.
    IN_PROGRESS = "in_progress", "In progress"
    # Paused by staff; remembers the status it left.
    ON_HOLD = "on_hold", "On hold"
    # Every action done or skipped. Final.
    COMPLETED = "completed", "Completed"
    # Withdrawn. Final; never undone.
    CANCELLED = "cancelled", "Cancelled"


FINAL_ORDER_STATUSES = frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED})
OPEN_ORDER_STATUSES = frozenset(set(OrderStatus) - FINAL_ORDER_STATUSES)
HOLDABLE_ORDER_STATUSES = frozenset({OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS})


class OrderPriority(models.TextChoices):
    # Whenever convenient.
    LOW = "low", "Low"
    # The default.
    NORMAL = "normal", "Normal"
    # Ahead of normal work.
    HIGH = "high", "High"
    # Someone cannot work until this is done.
    URGENT = "urgent", "Urgent"


class ActionKind(models.TextChoices):
    # Run by a task through an adapter.
    AUTOMATED = "automated", "Automated"
    # Processed or skipped by staff, with a note.
    MANUAL = "manual", "Manual"


class AutomationKey(models.TextChoices):
    # Create the account, mailbox, groups and shared mailboxes in one call (older queues).
    PROVISION_MAILBOX = "provision_mailbox", "Provision mailbox"
    # Create the account and its mailbox in the directory.
    CREATE_ACCOUNT = "create_account", "Create account"
    # Add the new account to the order's distribution groups.
    ADD_GROUPS = "add_groups", "Add distribution groups"
    # Grant the new account the order's shared mailboxes.
    GRANT_MAILBOXES = "grant_mailboxes", "Grant shared mailboxes"
    # Disable the existing user's directory account.
    DEACTIVATE_ACCOUNT = "deactivate_account", "Deactivate account"
    # Rename the workstation to its tmp placeholder name.
    PARK_WORKSTATION = "park_workstation", "Park workstation"
    # Recommission the desktop for the new user.
    RECOMMISSION_DESKTOP = "recommission_desktop", "Recommission desktop"
    # Email the coordinator the confirmation (with a one-time link where one applies).
    SEND_CONFIRMATION = "send_confirmation", "Send confirmation"
    # Email the end user their secure link (password and appointment).
    SEND_END_USER_LINK = "send_end_user_link", "Send end-user link"


class ActionStatus(models.TextChoices):
    # Waiting for its turn.
    PENDING = "pending", "Pending"
    # An automated action a worker is running now.
    RUNNING = "running", "Running"
    # Finished.
    DONE = "done", "Done"
    # Deliberately not done (staff decision, with a note).
    SKIPPED = "skipped", "Skipped"
    # An automated action that failed permanently or ran out of retries.
    FAILED = "failed", "Failed"


FINISHED_ACTION_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.SKIPPED})


class MessageKind(models.TextChoices):
    # A message to or from the client; the client sees it.
    REPLY = "reply", "Reply"
    # A staff follow-up assigned to someone; staff only.
    FOLLOW_UP = "follow_up", "Follow-up"
    # A staff note; staff only.
    INTERNAL_COMMENT = "internal_comment", "Internal comment"
    # A staff note the client may read.
    CLIENT_COMMENT = "client_comment", "Client-viewable comment"


CLIENT_VISIBLE_MESSAGE_KINDS = frozenset({MessageKind.REPLY, MessageKind.CLIENT_COMMENT})


class ITSMTicketStatus(models.TextChoices):
    # Being worked in the ITSM.
    OPEN = "open", "Open"
    # Paused in the ITSM.
    ON_HOLD = "on_hold", "On hold"
    # Resolved in the ITSM.
    CLOSED = "closed", "Closed"


# Link purposes in notifications.links.
LINK_PURPOSE_ORDER_FINISH = "order_finish"
LINK_PURPOSE_ORDER_SECRET = "order_secret"
# One-time link to set the new account's password (never a password in an email).
LINK_PURPOSE_ACCOUNT_ACCESS = "order_account_access"

# Attachment limits (staff message thread and portal replies).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "text/plain",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword",
        "application/vnd.ms-excel",
    }
)
