"""The directory adapter: ``get_directory_client()`` returns the configured one."""

from django.conf import settings

from integrations.loading import load_client

from .protocol import (
    DirectoryAccount,
    DirectoryClient,
    DirectoryComputer,
    DirectoryError,
    DirectoryNotFound,
    MailboxMissing,
    NeedsPerson,
    PermanentDirectoryError,
    TransientDirectoryError,
    UsernameTaken,
)


def get_directory_client() -> DirectoryClient:
    return load_client(settings.DIRECTORY_CLIENT)


__all__ = [
    "DirectoryAccount",
    "DirectoryClient",
    "DirectoryComputer",
    "DirectoryError",
    "DirectoryNotFound",
    "MailboxMissing",
    "NeedsPerson",
    "PermanentDirectoryError",
    "TransientDirectoryError",
    "UsernameTaken",
    "get_directory_client",
]
