"""The OpenAPI schema: committed copy is current, and the live API conforms to it.

Regenerate the committed copy after an API change with
``UPDATE_OPENAPI=1 .venv/bin/pytest tests/api/test_schema.py -k committed``.
"""

import os
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.roles import Role
from api.services import api_key_create
from api.throttling import ApiRateThrottle

OPENAPI = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def generated_yaml() -> str:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


def test_committed_openapi_equals_the_generated_schema():
    current = generated_yaml()
    if os.environ.get("UPDATE_OPENAPI"):
        OPENAPI.write_text(current)
    assert OPENAPI.read_text() == current, (
        "docs/openapi.yaml is stale: regenerate it (see this module's docstring) and commit it."
    )


def test_schema_and_docs_are_served_from_the_app(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()
    redoc = client.get("/api/v1/redoc/").content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc


@pytest.fixture
def live_schema(db, make_user, world):
    """The committed schema against the in-process WSGI app, data present, one staff key."""
    person = make_user(
        Role.COORDINATOR,
        Role.REFRESH_ADMINISTRATOR,
        Role.ORDERS_MANAGER,
        Role.ORDERS_TECHNICIAN,
        organization=world.org,
    )
    _, token = api_key_create(user=person, name="schemathesis")
    loaded = schemathesis.openapi.from_dict(yaml.safe_load(OPENAPI.read_text()))
    loaded.app = get_wsgi_application()
    loaded.config.generation.update(max_examples=10, deterministic=True)
    loaded.config.update(headers={"Authorization": f"Bearer {token}"})
    original = ApiRateThrottle.THROTTLE_RATES
    ApiRateThrottle.THROTTLE_RATES = {"api": "100000/min"}
    # The WSGI app runs in this process on the test's connection and transaction:
    # like Django's test client, keep requests from closing that connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        ApiRateThrottle.THROTTLE_RATES = original


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


def test_api_conforms_to_its_schema(live_schema):
    """Schemathesis, stateless: 10 generated requests per operation, every check passing.

    Runs through the schema's operations one by one (the pytest plugin's
    parametrization does not support this pytest version).
    """
    failures, operations = [], 0
    for result in live_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis_settings(
            max_examples=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - every operation's failure is reported
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert operations >= 20
    assert failures == [], "\n\n".join(failures)
