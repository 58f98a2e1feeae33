from django.db import models


class WebhookEvent(models.TextChoices):
    ORDER_SUBMITTED = "order.submitted", "Order submitted"
    ORDER_STEP_DONE = "order.step_done", "Order step done or skipped"
    ORDER_COMPLETED = "order.completed", "Order completed"
    ORDER_CANCELLED = "order.cancelled", "Order cancelled"
    TICKET_STATUS_CHANGED = "ticket.status_changed", "Refresh ticket status changed"
    BOOKING_MADE = "booking.made", "Booking made"
    BOOKING_MOVED = "booking.moved", "Booking moved to another slot"
    BOOKING_CANCELLED = "booking.cancelled", "Booking cancelled"


class DeliveryStatus(models.TextChoices):
    # Waiting for its first attempt.
    PENDING = "pending", "Pending"
    # An attempt failed; another is scheduled (next_attempt_at).
    RETRYING = "retrying", "Retrying"
    # The endpoint answered 2xx.
    DELIVERED = "delivered", "Delivered"
    # Gave up: every attempt in the retry horizon failed, or the endpoint was removed.
    FAILED = "failed", "Failed"
