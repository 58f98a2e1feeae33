"""State of the stub adapters: what the ITSM, directory and Slack stand-ins hold.

The stubs keep their state in the database so they behave like the real
services across processes (web, worker, beat) and can be driven by hand from
the ITSM stub page.
"""

from django.conf import settings
from django.db import models


class StubIdempotencyKey(models.Model):
    """A create call's key and the id of what it created: a retried call returns it."""

    service = models.CharField(max_length=20)
    key = models.CharField(max_length=255)
    result_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "key"], name="stub_idempotency_unique")
        ]

    def __str__(self):
        return f"{self.service}:{self.key}"


class StubITSMTicket(models.Model):
    """A ticket in the stand-in ITSM (numeric ids like TeamDynamix)."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    requestor_email = models.EmailField(blank=True)
    type_name = models.CharField(max_length=100, blank=True)
    account = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, default="new")
    appointment_start = models.DateTimeField(null=True, blank=True)
    appointment_end = models.DateTimeField(null=True, blank=True)
    feed = models.JSONField(default=list, blank=True)
    related_ticket_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "stub ITSM ticket"

    def __str__(self):
        return f"#{self.pk} {self.title}"


class StubITSMTask(models.Model):
    ticket = models.ForeignKey(StubITSMTicket, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "stub ITSM task"

    def __str__(self):
        return self.title


class StubITSMAsset(models.Model):
    """An asset the stand-in ITSM knows; the existence lookup finds these by serial."""

    serial_number = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=300, blank=True)
    owner_email = models.EmailField("owner email", blank=True)
    owner_name = models.CharField("owner", max_length=200, blank=True)
    support_group = models.CharField(max_length=200, blank=True)
    tickets = models.ManyToManyField(StubITSMTicket, blank=True, related_name="assets")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["serial_number"]
        verbose_name = "stub ITSM asset"

    def __str__(self):
        return self.serial_number


class StubDirectoryAccount(models.Model):
    """An account in the stand-in directory (mailbox, groups, shared mailboxes)."""

    username = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)
    distribution_groups = models.JSONField(default=list, blank=True)
    shared_mailboxes = models.JSONField(default=list, blank=True)
    password_hash = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["username"]
        verbose_name = "stub directory account"

    def __str__(self):
        return self.username


class StubDirectoryComputer(models.Model):
    name = models.CharField(max_length=120, unique=True)
    assigned_username = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=20, default="in_use")
    previous_names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "stub directory computer"

    def __str__(self):
        return self.name


class StubSlackMessage(models.Model):
    """A message the Slack stand-in 'posted' (what the team channel would show)."""

    team_name = models.CharField(max_length=120)
    channel = models.CharField(max_length=80, blank=True)
    text = models.TextField()
    idempotency_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.channel or self.team_name}: {self.text[:40]}"


class StubSettings(models.Model):
    """One row: switches staff flip on the stub page to rehearse failures."""

    itsm_outage = models.BooleanField(
        default=False, help_text="Every ITSM call fails as if the service were down."
    )
    itsm_create_times_out = models.BooleanField(
        "next ITSM create times out after saving",
        default=False,
        help_text=(
            "One shot: the next ticket create saves the ticket, then fails as a timeout "
            "(the answer is lost, as when TeamDynamix saves and the connection drops). "
            "The retry must find that ticket instead of creating a second one."
        ),
    )

    class Meta:
        verbose_name = "stub settings"
        verbose_name_plural = "stub settings"
        permissions = [("use_itsm_stub", "Can drive the ITSM stub by hand")]

    def __str__(self):
        return "Stub settings"

    @classmethod
    def current(cls) -> "StubSettings":
        return cls.objects.get_or_create(pk=1)[0]


class JobRun(models.Model):
    """A job staff started with "Run this job now": who asked, when it started and finished."""

    job = models.CharField(max_length=80, help_text="The beat schedule entry's name.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["job", "-requested_at"], name="jobrun_job_idx")]

    def __str__(self):
        return f"{self.job} ({self.requested_at:%Y-%m-%d %H:%M})"
