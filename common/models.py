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


class EffectStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # waiting for its (next) attempt at next_attempt_at
    RUNNING = "running", "Running"  # claimed by a worker until lease_until
    DONE = "done", "Done"  # the task returned; never run again
    FAILED = "failed", "Failed"  # a permanent error or out of attempts; staff retry it


class Effect(models.Model):
    """A side effect a service promised, written in the same transaction (the outbox).

    The row exists exactly when the state change that caused it committed. A
    worker claims it (row lock + lease), calls the task named ``task_name`` with
    ``kwargs`` and marks it done; a transient error schedules the next attempt
    with backoff; the minute sweep re-enqueues due rows and rows whose lease
    expired (a dead worker), so a lost broker message delays an effect by at
    most a lease plus a sweep, never for good.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    key = models.CharField(
        max_length=200, unique=True, help_text="Idempotency key: one row per promised effect."
    )
    # What the effect is about, from its first ``<kind>_id`` argument ("ticket", 12).
    target_kind = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=EffectStatus.choices, default=EffectStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    swept_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep last sent it to the workers."
    )
    last_error = models.TextField(blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last asked for it to run again now.",
    )
    retried_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("retry_effect", "Can retry a stuck or failed effect")]
        indexes = [
            # the sweep: due pending rows and running rows whose lease expired
            models.Index(
                fields=["next_attempt_at"],
                name="effect_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["lease_until"],
                name="effect_running_lease",
                condition=models.Q(status="running"),
            ),
            models.Index(fields=["target_kind", "target_id"], name="effect_target"),
            models.Index(fields=["status", "updated_at"], name="effect_status_updated"),
            # the effects page (issue 17): the few effects not done, newest change first
            # (the columns of its filter after the sort's, so deep pages read the
            # index only; key columns, not INCLUDE, which SQLite would not take)
            models.Index(
                fields=[
                    "-updated_at",
                    "-id",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "lease_until",
                ],
                name="effect_open_updated",
                condition=~models.Q(status="done"),
            ),
        ]

    def __str__(self):
        return f"{self.task_name}({self.target}) {self.status}"

    @property
    def target(self) -> str:
        if self.target_kind:
            return f"{self.target_kind} {self.target_id}"
        return ", ".join(f"{k}={v}" for k, v in sorted(self.kwargs.items())) or "—"

    @property
    def short_name(self) -> str:
        """The task's own name without its module ("itsm_ticket_create_task")."""
        return self.task_name.rsplit(".", 1)[-1]
