"""Fixtures every test may use.

Celery runs tasks eagerly in ordinary tests so after-commit effects can be seen
with ``django_capture_on_commit_callbacks(execute=True)``; tests marked
``worker`` get a real worker on the real broker instead (see tests/test_worker*).
"""

import pytest
from django.core.cache import cache

from accounts.roles import Role
from config.celery import app as celery_app
from tests.accounts.factories import OrganizationFactory, SupportTeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _celery_eager(request):
    eager = request.node.get_closest_marker("worker") is None
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = eager
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def task_ledger():
    """Every task the in-process worker finished during the test (tests/worker.py)."""
    from tests.worker import connect_ledger, disconnect_ledger

    ledger = connect_ledger()
    yield ledger
    disconnect_ledger(ledger)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def support_team(db):
    return SupportTeamFactory()


@pytest.fixture
def make_user(db):
    """make_user(Role.X, organization=..., **fields) -> a user with those roles."""

    def _make(*roles: Role, **fields):
        return UserFactory(roles=list(roles), **fields)

    return _make


@pytest.fixture
def coordinator(make_user, organization):
    return make_user(Role.COORDINATOR, organization=organization)


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)
