"""Errors the scheduling services raise, with messages a person can act on."""

SLOT_UNAVAILABLE_MESSAGE = "That slot is no longer available. Please pick another one."


class SlotUnavailable(Exception):
    """The slot is full, deleted or already started: the booking did not happen."""

    def __init__(self, message: str = SLOT_UNAVAILABLE_MESSAGE):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message
