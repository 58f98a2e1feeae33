"""The ``Meta`` lists of ``RefreshTicket``: its extra permissions, indexes and constraints.

Kept apart from ``tickets.py`` (the fields and the state machine) so that the model
module stays readable; ``RefreshTicket.Meta`` uses these lists as they are, so the
migrations see the same options.
"""

from django.db import models
from django.db.models import Q

from refresh.choices import TicketStatus as S

TICKET_PERMISSIONS = [
    ("approve_refreshticket", "Can approve refresh tickets of configs naming them"),
    ("hold_refreshticket", "Can put refresh tickets on hold and resume them"),
    ("cancel_refreshticket", "Can cancel refresh tickets"),
    ("reschedule_refreshticket", "Can reschedule refresh ticket deliveries"),
    ("fill_location_refreshticket", "Can fill the location form of refresh tickets"),
    ("assign_replacement_refreshticket", "Can assign replacement systems"),
    ("bulk_manage_refreshticket", "Can run bulk actions and batches on refresh tickets"),
    ("progress_refreshticket", "Can mark refresh tickets installed or complete"),
]
TICKET_INDEXES = [
    models.Index(fields=["status", "-created_at", "-id"], name="refresh_tkt_status_idx"),
    models.Index(fields=["support_team", "status"], name="refresh_tkt_team_idx"),
    models.Index(fields=["config", "status"], name="refresh_tkt_config_idx"),
    models.Index(fields=["batch", "status"], name="refresh_tkt_batch_idx"),
    models.Index(fields=["style", "status"], name="refresh_tkt_style_idx"),
    models.Index(fields=["-created_at", "-id"], name="refresh_tkt_created_idx"),
    models.Index(fields=["-status_changed_at", "-id"], name="refresh_tkt_changed_idx"),
    # The staff list under one filter, in either direction of its date sorts
    # (a backward index scan serves the ascending sort): issue #17.
    models.Index(fields=["support_team", "-created_at", "-id"], name="refresh_tkt_team_sort_idx"),
    models.Index(
        fields=["support_team", "-status_changed_at", "-id"],
        name="refresh_tkt_team_chg_idx",
    ),
    models.Index(fields=["config", "-created_at", "-id"], name="refresh_tkt_config_sort_idx"),
    models.Index(fields=["batch", "-created_at", "-id"], name="refresh_tkt_batch_sort_idx"),
    models.Index(fields=["style", "-created_at", "-id"], name="refresh_tkt_style_sort_idx"),
    models.Index(fields=["status", "-status_changed_at", "-id"], name="refresh_tkt_status_chg_idx"),
    # The list sorted by user or team: the denormalised keys (``sort_keys``) with
    # the sorts' tie-breakers, walked in order (issue #17).
    models.Index(fields=["user_sort_name", "id"], name="refresh_tkt_user_sort_idx"),
    models.Index(
        fields=["team_sort_name", "-created_at", "-id"], name="refresh_tkt_teamname_sort_idx"
    ),
    # ... under the status filter, the list's commonest (a rare status otherwise
    # walks the whole key index: 12-90 ms at 100k).
    models.Index(fields=["status", "user_sort_name", "id"], name="refresh_tkt_status_user_idx"),
    models.Index(
        fields=["status", "team_sort_name", "-created_at", "-id"],
        name="refresh_tkt_status_team_idx",
    ),
    # The customer jobs read only the tickets that are due (issue #17): a
    # range scan of these small partial indexes, whatever the table's size.
    models.Index(
        fields=["invite_at"],
        condition=Q(status=S.PENDING_INVITE),
        name="refresh_tkt_invite_due_idx",
    ),
    models.Index(
        fields=["first_reminder_at"],
        condition=Q(status=S.PENDING_CUSTOMER, first_reminder_sent_at__isnull=True),
        name="refresh_tkt_remind1_due_idx",
    ),
    models.Index(
        fields=["second_reminder_at"],
        condition=Q(status=S.PENDING_CUSTOMER, second_reminder_sent_at__isnull=True),
        name="refresh_tkt_remind2_due_idx",
    ),
    models.Index(
        fields=["deadline_at"],
        condition=Q(status=S.PENDING_CUSTOMER),
        name="refresh_tkt_deadline_due_idx",
    ),
    # The Problems tab: stale or failing ITSM existence lookups.
    models.Index(
        fields=["status", "status_changed_at", "itsm_lookup_attempts"],
        name="refresh_tkt_itsm_wait_idx",
    ),
    # The API's cursor (newest id first) under its status filter (docs/performance-api.md).
    models.Index(fields=["status", "-id"], name="refresh_tkt_api_status_idx"),
    # The approver's list (issue #17): waiting tickets oldest first, with their
    # config, so even a deep page of one approver's tickets reads the index only.
    models.Index(
        fields=["status_changed_at", "id", "config"],
        condition=Q(status=S.PENDING_APPROVAL),
        name="refresh_tkt_approval_idx",
    ),
]
TICKET_CONSTRAINTS = [
    models.UniqueConstraint(
        fields=["existing_system"],
        condition=~Q(status__in=[S.COMPLETE, S.CANCELLED]),
        name="refresh_ticket_one_open_per_system",
        violation_error_message="This system already has an open refresh ticket.",
    ),
]
