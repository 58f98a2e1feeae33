"""The directory stand-in: accounts and computers in the database."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from integrations.models import StubDirectoryAccount, StubDirectoryComputer, StubIdempotencyKey

from .protocol import (
    DirectoryAccount,
    DirectoryComputer,
    DirectoryNotFound,
    MailboxMissing,
    TransientDirectoryError,
    UsernameTaken,
)


def _account(row: StubDirectoryAccount) -> DirectoryAccount:
    return DirectoryAccount(
        username=row.username,
        full_name=row.full_name,
        email=row.email,
        active=row.active,
        distribution_groups=tuple(row.distribution_groups),
        shared_mailboxes=tuple(row.shared_mailboxes),
    )


def _computer(row: StubDirectoryComputer) -> DirectoryComputer:
    return DirectoryComputer(
        name=row.name, assigned_username=row.assigned_username, state=row.state
    )


def _fail_if_told(method: str) -> None:
    """Raise a transient error when ``settings.DIRECTORY_STUB_TRANSIENT_FAILURES``
    names ``method``: how tests and demos see an unreachable directory."""
    if method in getattr(settings, "DIRECTORY_STUB_TRANSIENT_FAILURES", ()):
        raise TransientDirectoryError(f"The directory did not answer {method} (stub told to fail).")


def _seen(key: str) -> str | None:
    row = StubIdempotencyKey.objects.filter(service="directory", key=key).first()
    return row.result_id if row else None


def _remember(key: str, result_id: str) -> None:
    StubIdempotencyKey.objects.get_or_create(
        service="directory", key=key, defaults={"result_id": result_id}
    )


class StubDirectoryClient:
    """Behaves like the directory: usernames unique, unknown names not found,
    a repeated idempotency key returns the first result."""

    @transaction.atomic
    def create_account(
        self, *, username, full_name, email, distribution_groups, shared_mailboxes, idempotency_key
    ) -> DirectoryAccount:
        _fail_if_told("create_account")
        if (done := _seen(idempotency_key)) is not None:
            return _account(StubDirectoryAccount.objects.get(username=done))
        try:
            with transaction.atomic():
                row = StubDirectoryAccount.objects.create(
                    username=username,
                    full_name=full_name,
                    email=email,
                    distribution_groups=list(distribution_groups),
                    shared_mailboxes=list(shared_mailboxes),
                )
        except IntegrityError as exc:
            raise UsernameTaken(f"The username {username} is already taken.") from exc
        _remember(idempotency_key, row.username)
        return _account(row)

    def get_account(self, *, username) -> DirectoryAccount | None:
        row = StubDirectoryAccount.objects.filter(username=username).first()
        return _account(row) if row else None

    @transaction.atomic
    def add_to_groups(self, *, username, groups, idempotency_key) -> DirectoryAccount:
        """Distribution groups are created on first use, as in the directory."""
        _fail_if_told("add_to_groups")
        row = StubDirectoryAccount.objects.select_for_update().filter(username=username).first()
        if row is None:
            raise DirectoryNotFound(f"No account {username}.")
        missing = [g for g in groups if g not in row.distribution_groups]
        if missing:
            row.distribution_groups = [*row.distribution_groups, *missing]
            row.save(update_fields=["distribution_groups"])
        _remember(idempotency_key, row.username)
        return _account(row)

    @transaction.atomic
    def grant_mailboxes(self, *, username, mailboxes, idempotency_key) -> DirectoryAccount:
        """A shared mailbox exists when the directory has an account with that
        address or username; the existing ones are granted, the others named."""
        _fail_if_told("grant_mailboxes")
        row = StubDirectoryAccount.objects.select_for_update().filter(username=username).first()
        if row is None:
            raise DirectoryNotFound(f"No account {username}.")
        known = set(
            StubDirectoryAccount.objects.filter(email__in=mailboxes).values_list("email", flat=True)
        ) | set(
            StubDirectoryAccount.objects.filter(username__in=mailboxes).values_list(
                "username", flat=True
            )
        )
        grant = [m for m in mailboxes if m in known and m not in row.shared_mailboxes]
        if grant:
            row.shared_mailboxes = [*row.shared_mailboxes, *grant]
            row.save(update_fields=["shared_mailboxes"])
        absent = [m for m in mailboxes if m not in known]
        if absent:
            raise MailboxMissing(
                "The directory has no shared mailbox "
                + ", ".join(absent)
                + ": create it (or agree another with the coordinator) and grant access by hand."
            )
        _remember(idempotency_key, row.username)
        return _account(row)

    @transaction.atomic
    def deactivate_account(self, *, username, idempotency_key) -> DirectoryAccount:
        _fail_if_told("deactivate_account")
        row = StubDirectoryAccount.objects.select_for_update().filter(username=username).first()
        if row is None:
            # Real directories hold accounts Handover never created: adopt it.
            row = StubDirectoryAccount.objects.create(username=username, full_name=username)
        if row.active:
            row.active = False
            row.save(update_fields=["active"])
        _remember(idempotency_key, row.username)
        return _account(row)

    @transaction.atomic
    def rename_computer(self, *, workstation, new_name, idempotency_key) -> DirectoryComputer:
        _fail_if_told("rename_computer")
        if (done := _seen(idempotency_key)) is not None:
            return _computer(StubDirectoryComputer.objects.get(name=done))
        row, _ = StubDirectoryComputer.objects.select_for_update().get_or_create(name=workstation)
        row.previous_names = [*row.previous_names, row.name]
        row.name = new_name
        row.state = "parked"
        row.assigned_username = ""
        row.save(update_fields=["name", "previous_names", "state", "assigned_username"])
        _remember(idempotency_key, row.name)
        return _computer(row)

    @transaction.atomic
    def recommission_desktop(self, *, workstation, username, idempotency_key) -> DirectoryComputer:
        _fail_if_told("recommission_desktop")
        row = StubDirectoryComputer.objects.select_for_update().filter(
            name=workstation
        ).first() or StubDirectoryComputer.objects.create(name=workstation)
        row.assigned_username = username
        row.state = "in_use"
        row.save(update_fields=["assigned_username", "state"])
        _remember(idempotency_key, row.name)
        return _computer(row)

    @transaction.atomic
    def set_password(self, *, username, password, idempotency_key) -> None:
        row = StubDirectoryAccount.objects.select_for_update().filter(username=username).first()
        if row is None:
            raise DirectoryNotFound(f"No account {username}.")
        row.password_hash = make_password(password)  # only a hash, never the password
        row.save(update_fields=["password_hash"])
