"""What Handover needs from the directory (accounts, mailboxes, computer objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class DirectoryError(Exception):
    """Any failure talking to the directory."""


class TransientDirectoryError(DirectoryError):
    """Worth retrying later (timeouts, the service being down)."""


class PermanentDirectoryError(DirectoryError):
    """Retrying will not help."""


class NeedsPerson(PermanentDirectoryError):
    """The directory cannot do this without a person (a name taken, a mailbox
    missing); the message says why and is shown to staff as a manual step."""


class UsernameTaken(NeedsPerson):
    pass


class MailboxMissing(NeedsPerson):
    pass


class DirectoryNotFound(PermanentDirectoryError):
    pass


@dataclass(frozen=True)
class DirectoryAccount:
    username: str
    full_name: str
    email: str
    active: bool = True
    distribution_groups: tuple[str, ...] = field(default_factory=tuple)
    shared_mailboxes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DirectoryComputer:
    name: str
    assigned_username: str = ""
    state: str = "in_use"


class DirectoryClient(Protocol):
    def create_account(
        self,
        *,
        username: str,
        full_name: str,
        email: str,
        distribution_groups: list[str],
        shared_mailboxes: list[str],
        idempotency_key: str,
    ) -> DirectoryAccount: ...

    def get_account(self, *, username: str) -> DirectoryAccount | None: ...

    def add_to_groups(
        self, *, username: str, groups: list[str], idempotency_key: str
    ) -> DirectoryAccount: ...

    def grant_mailboxes(
        self, *, username: str, mailboxes: list[str], idempotency_key: str
    ) -> DirectoryAccount:
        """Grant every mailbox that exists; raise ``MailboxMissing`` naming the others."""
        ...

    def deactivate_account(self, *, username: str, idempotency_key: str) -> DirectoryAccount: ...

    def rename_computer(
        self, *, workstation: str, new_name: str, idempotency_key: str
    ) -> DirectoryComputer: ...

    def recommission_desktop(
        self, *, workstation: str, username: str, idempotency_key: str
    ) -> DirectoryComputer: ...

    def set_password(self, *, username: str, password: str, idempotency_key: str) -> None: ...
