"""What the automation does with a directory answer: the retry policy, the error
classes, the "Needs a person" wording, and the directory client it calls.

``directory_client`` and ``retry_delay`` are looked up here at call time (the
other modules call ``policy.directory_client()``), so tests patch them here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from integrations.directory import (
    NeedsPerson,
    TransientDirectoryError,
    UsernameTaken,
    get_directory_client,
)

logger = logging.getLogger(__name__)

JOB = "orders automation"
MAX_ATTEMPTS = 5


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 30 s, 60 s, 120 s ... capped at 15 minutes."""
    return min(30 * 2 ** max(attempts - 1, 0), 900)


@dataclass
class AdvanceOutcome:
    ran: list[str] = field(default_factory=list)
    retry_in: int | None = None
    completed: bool = False


class _Transient(Exception):
    pass


class _Permanent(Exception):
    pass


class _NeedsPerson(Exception):
    pass


def needs_person_instructions(exc: Exception) -> str:
    """What a person must do when the directory cannot: the directory's reason and the next step."""
    reason = str(exc).strip() or "The directory could not do this step."
    if isinstance(exc, UsernameTaken):
        todo = (
            "Agree another username with the coordinator, create the account by hand, "
            "then mark this step done."
        )
    else:
        todo = "Do this step by hand in the directory, then mark it done."
    return f"Needs a person: {reason} {todo}"


def directory_username_exists(*, username: str) -> bool:
    """True when the directory already has ``username``; False when it has not or
    cannot say (the provisioning action then reports a clash as a permanent error)."""
    try:
        return bool(directory_client().get_account(username=username))
    except Exception:  # unreachable or not-found style errors: no answer
        logger.info("directory lookup for a username gave no answer")
        return False


def directory_client():
    """The configured directory client (``settings.DIRECTORY_CLIENT``)."""
    return get_directory_client()


def _classify(exc: Exception) -> type[Exception]:
    """Transient directory errors retry; every other error fails the action."""
    if isinstance(exc, TransientDirectoryError):
        return _Transient
    if isinstance(exc, NeedsPerson):
        return _NeedsPerson
    return _Permanent
