"""Domain errors of the refresh app; each carries a message a person can act on."""

from django.core.exceptions import ValidationError


class RefreshError(ValidationError):
    """Base of the refresh domain errors (a ValidationError: forms show it as is)."""


class TransitionNotAllowed(RefreshError):
    """The action does not apply to the ticket in its current status."""

    def __init__(self, message: str, *, ticket=None, action: str = ""):
        super().__init__(message, code="transition_not_allowed")
        self.ticket = ticket
        self.action = action


class TransitionDenied(RefreshError):
    """The person may not take this action on this ticket."""

    def __init__(self, message: str = "You may not take this action on this ticket."):
        super().__init__(message, code="permission_denied")
