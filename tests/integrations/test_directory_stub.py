"""The directory stub behaves like the directory the orders app provisions through."""

import pytest
from django.contrib.auth.hashers import check_password

from integrations.directory import (
    DirectoryNotFound,
    PermanentDirectoryError,
    TransientDirectoryError,
    UsernameTaken,
    get_directory_client,
)
from integrations.directory.stub import StubDirectoryClient
from integrations.models import StubDirectoryAccount

pytestmark = pytest.mark.django_db


def _create(client, username="jdoe", key="order-1"):
    return client.create_account(
        username=username,
        full_name="Jane Doe",
        email=f"{username}@example.edu",
        distribution_groups=["staff-all"],
        shared_mailboxes=["frontdesk"],
        idempotency_key=key,
    )


def test_configured_client_and_error_hierarchy():
    assert isinstance(get_directory_client(), StubDirectoryClient)
    assert issubclass(UsernameTaken, PermanentDirectoryError)
    assert issubclass(DirectoryNotFound, PermanentDirectoryError)
    assert not issubclass(TransientDirectoryError, PermanentDirectoryError)


def test_create_account_once_per_key():
    client = StubDirectoryClient()
    first = _create(client)
    again = _create(client)
    assert first == again
    assert first.distribution_groups == ("staff-all",)
    assert first.shared_mailboxes == ("frontdesk",)
    assert StubDirectoryAccount.objects.count() == 1
    assert client.get_account(username="jdoe") == first
    assert client.get_account(username="nobody") is None


def test_username_taken_under_another_key():
    client = StubDirectoryClient()
    _create(client)
    with pytest.raises(UsernameTaken):
        _create(client, key="order-2")


def test_deactivate_twice_is_harmless():
    client = StubDirectoryClient()
    _create(client)
    for _ in range(2):
        account = client.deactivate_account(username="jdoe", idempotency_key="off-1")
    assert not account.active


def test_rename_and_recommission_computers():
    client = StubDirectoryClient()
    renamed = client.rename_computer(
        workstation="MED-WS-0001", new_name="PARK-0001", idempotency_key="r1"
    )
    again = client.rename_computer(
        workstation="MED-WS-0001", new_name="PARK-0001", idempotency_key="r1"
    )
    assert renamed == again
    assert renamed.name == "PARK-0001"
    desktop = client.recommission_desktop(
        workstation="PARK-0001", username="jdoe", idempotency_key="c1"
    )
    assert desktop.assigned_username == "jdoe"
    assert desktop.state == "in_use"


def test_set_password_stores_only_a_hash():
    client = StubDirectoryClient()
    _create(client)
    client.set_password(username="jdoe", password="Correct-Horse-9", idempotency_key="p1")
    stored = StubDirectoryAccount.objects.get(username="jdoe").password_hash
    assert "Correct-Horse-9" not in stored
    assert check_password("Correct-Horse-9", stored)
    with pytest.raises(DirectoryNotFound):
        client.set_password(username="nobody", password="x", idempotency_key="p2")
