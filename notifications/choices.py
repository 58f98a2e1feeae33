from django.db import models


class EmailStatus(models.TextChoices):
    # Rendered and logged; waiting for the worker to hand it to the mail backend.
    QUEUED = "queued", "Queued"
    # A worker is handing it to the backend (until lease_until; then it counts as abandoned).
    SENDING = "sending", "Sending"
    # The mail backend accepted it.
    SENT = "sent", "Sent"
    # The backend refused it after every retry; staff can see why and resend.
    FAILED = "failed", "Failed"
