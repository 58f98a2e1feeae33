"""The one audit shape every app's audit table inherits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditBase(models.Model):
    """Who (a user, or a named job) did what to an object, when.

    A transition fills ``transition``, ``from_status`` and ``to_status``; an
    edit through :func:`common.services.model_update` fills ``changes`` with
    ``{field: [before, after]}`` (values as text) and keeps the status in both
    columns. Subclasses add the foreign key to their object, ``choices`` on the
    status columns, a ``related_name`` for ``actor`` and their own indexes.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_job = models.CharField(
        max_length=80, blank=True, help_text="The job or non-user actor (an emailed link)."
    )
    transition = models.CharField(max_length=60, blank=True)
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text="Changed fields: {field: [before, after]}."
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The name of the foreign key to the audited object ("order", "ticket").
    subject_field = ""

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        subject_id = getattr(self, f"{self.subject_field}_id", None)
        if self.changes and self.from_status == self.to_status:
            return f"{subject_id}: changed {', '.join(sorted(self.changes))}"
        return f"{subject_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def actor_display(self) -> str:
        if self.actor_id:
            return str(self.actor)
        return self.actor_job or "system"
