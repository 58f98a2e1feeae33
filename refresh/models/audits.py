"""Audit and event rows of refresh tickets and configs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.models import AuditBase
from refresh.choices import EventKind, TicketStatus

from .configs import RefreshConfig
from .tickets import RefreshTicket

S = TicketStatus


class RefreshTicketAudit(AuditBase):
    """One row per status transition: who or which job, when, from, to, note."""

    ticket = models.ForeignKey(RefreshTicket, on_delete=models.CASCADE, related_name="audits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_audits",
    )
    from_status = models.CharField(max_length=40, choices=S.choices, blank=True)
    to_status = models.CharField(max_length=40, choices=S.choices)
    # Seconds, a float: PostgreSQL sorts it by value (an interval is copied and
    # compared through a function), which halves the percentiles' cost.
    stay_seconds = models.FloatField(
        null=True,
        blank=True,
        help_text="How long (seconds) the ticket had been in from_status when this transition "
        "took it out: from the previous transition to this one. Empty on a ticket's first row "
        "and on edits. The refresh dashboard's days per status are percentiles of it.",
    )

    support_team = models.ForeignKey(
        "accounts.SupportTeam",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # read through refresh_audit_to_status_idx
        help_text="The ticket's support team at this transition (the refresh dashboard's "
        "installs per team and week read it without the tickets). Empty on edits.",
    )

    subject_field = "ticket"

    class Meta(AuditBase.Meta):
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="refresh_audit_ticket_idx"),
            # The dashboard's days per status: an index-only scan, already grouped.
            models.Index(
                fields=["from_status", "stay_seconds"],
                condition=Q(stay_seconds__isnull=False),
                name="refresh_audit_stay_idx",
            ),
            # Installs per week and team: the rows entering a status in a period,
            # read from the index alone.
            models.Index(
                fields=["to_status", "created_at"],
                include=["ticket", "support_team"],
                name="refresh_audit_to_status_idx",
            ),
        ]


class RefreshConfigAudit(AuditBase):
    """One row per change of a refresh config: who, when, each field before and after."""

    config = models.ForeignKey(RefreshConfig, on_delete=models.CASCADE, related_name="audits")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_config_audits",
    )

    subject_field = "config"

    class Meta(AuditBase.Meta):
        indexes = [
            models.Index(fields=["config", "created_at"], name="refresh_cfgaudit_config_idx")
        ]


class RefreshTicketEvent(models.Model):
    """Something that happened to a ticket besides a transition (ITSM, location, notes)."""

    ticket = models.ForeignKey(RefreshTicket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    summary = models.CharField(max_length=300)
    payload = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_events",
    )
    actor_label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    itsm_synced_at = models.DateTimeField(
        null=True, blank=True, help_text="When this event was written to the ITSM ticket."
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="refresh_event_ticket_idx"),
            models.Index(
                fields=["kind"],
                condition=Q(itsm_synced_at__isnull=True),
                name="refresh_event_unsynced_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def actor_display(self) -> str:
        if self.created_by_id:
            return str(self.created_by)
        return self.actor_label or "system"
