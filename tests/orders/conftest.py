"""Fixtures for the orders tests: default queues, a fake directory, people."""

from dataclasses import dataclass, field

import pytest

from accounts.roles import Role
from integrations.directory import MailboxMissing
from orders.services import order_queues_ensure_defaults


@dataclass
class FakeDirectory:
    """Records every call; ``fail`` maps a method name to an exception to raise."""

    calls: list = field(default_factory=list)
    fail: dict = field(default_factory=dict)
    passwords: dict = field(default_factory=dict)
    existing: set = field(default_factory=set)
    lookups: list = field(default_factory=list)
    # Shared mailboxes the directory has; any other is missing (like the stub).
    mailboxes: set = field(default_factory=set)

    def _record(self, name, **kwargs):
        if name in self.fail:
            raise self.fail[name]
        self.calls.append((name, kwargs))
        return {"ok": True}

    def create_account(self, **kwargs):
        return self._record("create_account", **kwargs)

    def get_account(self, *, username):
        self.lookups.append(username)  # read-only: kept apart from the writes
        return {"username": username} if username in self.existing else None

    def add_to_groups(self, **kwargs):
        return self._record("add_to_groups", **kwargs)

    def grant_mailboxes(self, *, mailboxes, **kwargs):
        result = self._record("grant_mailboxes", mailboxes=mailboxes, **kwargs)
        if missing := [m for m in mailboxes if m not in self.mailboxes]:
            raise MailboxMissing(f"The directory has no shared mailbox {', '.join(missing)}.")
        return result

    def deactivate_account(self, **kwargs):
        return self._record("deactivate_account", **kwargs)

    def rename_computer(self, **kwargs):
        return self._record("rename_computer", **kwargs)

    def recommission_desktop(self, **kwargs):
        return self._record("recommission_desktop", **kwargs)

    def set_password(self, *, username, password, idempotency_key):
        self.passwords[username] = password
        self.calls.append(("set_password", {"username": username}))

    def names(self):
        return [name for name, _ in self.calls]


@pytest.fixture
def directory(monkeypatch):
    fake = FakeDirectory()
    monkeypatch.setattr("orders.services.automation.policy.directory_client", lambda: fake)
    return fake


@pytest.fixture
def technician(make_user):
    return make_user(Role.ORDERS_TECHNICIAN, is_staff=True)


@pytest.fixture
def manager(make_user):
    return make_user(Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN, is_staff=True)


@pytest.fixture
def queues(db, technician):
    return {q.order_type: q for q in order_queues_ensure_defaults(team=[technician])}


@pytest.fixture
def end_user(make_user, organization):
    return make_user(organization=organization, email="pat.enduser@example.edu")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...`` runs after-commit effects (tasks, emails) at the block's end."""

    def _commit():
        return django_capture_on_commit_callbacks(execute=True)

    return _commit


# Request types (issue 13): a request queue and a staff-defined type with a choice,
# a required yes/no, a required long text shown only when "Still works" is "no", and
# a number between 1 and 5.
@pytest.fixture
def request_queue(technician):
    from orders.choices import OrderType
    from orders.models import OrderQueue

    queue = OrderQueue.objects.create(name="Hardware desk", order_type=OrderType.REQUEST)
    queue.team.add(technician)
    return queue


@pytest.fixture
def hardware(request_queue):
    from orders.request_choices import FieldKind
    from orders.services import custom_field_add, request_type_save

    rt = request_type_save(
        data={"name": "Hardware problem", "description": "Broken device", "queue": request_queue}
    )
    custom_field_add(
        request_type=rt,
        data={"label": "Urgency", "kind": FieldKind.CHOICE, "choices": ["Low", "High"]},
    )
    broken = custom_field_add(
        request_type=rt,
        data={"label": "Still works", "kind": FieldKind.YES_NO, "required": True},
    )
    custom_field_add(
        request_type=rt,
        data={
            "label": "What is broken",
            "kind": FieldKind.LONG_TEXT,
            "required": True,
            "show_when": broken,
            "show_when_value": "no",
        },
    )
    custom_field_add(
        request_type=rt,
        data={"label": "Copies", "kind": FieldKind.NUMBER, "min_number": 1, "max_number": 5},
    )
    return rt
