"""Domain errors of the orders app; each carries a message a person can act on."""

from django.core.exceptions import ValidationError


class OrderError(ValidationError):
    """Base of the orders domain errors (a ValidationError: forms show it as is)."""


class OrderTransitionNotAllowed(OrderError):
    """The action does not apply to the order in its current status."""

    def __init__(self, message: str, *, order=None, action: str = ""):
        super().__init__(message, code="transition_not_allowed")
        self.order = order
        self.action = action


class OrderPermissionDenied(OrderError):
    """The person may not take this action on this order."""

    def __init__(self, message: str = "You may not take this action on this order."):
        super().__init__(message, code="permission_denied")


class SecretUnavailable(OrderError):
    """The end user's password is not there to reveal (never given, revealed or purged)."""
