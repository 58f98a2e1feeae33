"""Fixtures of the TeamDynamix client tests: the fake tenant and its Web API
(``tests.integrations.tdx_fakes``) and the client under test.

They live in this package, not in ``tests/integrations/conftest.py``, because the
``client`` fixture here is a ``TDXClient`` and the other integration tests need
pytest-django's test ``client``. The configuration tests, which build their own
client, stay beside them in ``tests/integrations/test_tdx_config.py``.
"""

import pytest

from integrations.itsm.tdx import TDXClient
from tests.integrations.tdx_fakes import api, tenant  # noqa: F401  (fixtures)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(tenant, sleeps):  # noqa: F811
    return TDXClient(sleep=sleeps.append)
