from django.db import models


class ExportList(models.TextChoices):
    """The staff lists that export, save as views and email as reports."""

    # Refresh tickets (/refresh/).
    TICKETS = "tickets", "Refresh tickets"
    # Orders of the order manager (/orders/staff/, a queue page).
    ORDERS = "orders", "Orders"
    # Refresh batches (/refresh/batches/).
    BATCHES = "batches", "Refresh batches"
    # Schedule slots of the calendar's week or month (/scheduling/calendar/).
    SLOTS = "slots", "Schedule slots"
    # The outbound email log (/notifications/outbox/).
    OUTBOX = "outbox", "Outbox"


class Frequency(models.TextChoices):
    # Every business day at the chosen time.
    DAILY = "daily", "Every business day"
    # The first business day of each week at the chosen time.
    WEEKLY = "weekly", "Weekly (first business day of the week)"


class LifecycleBasis(models.TextChoices):
    # Replace a number of months after the purchase date.
    AGE = "age", "Months after purchase"
    # Replace when the warranty ends.
    WARRANTY = "warranty", "At warranty end"
    # Whichever of the two comes first.
    EARLIEST = "earliest", "Whichever comes first"
