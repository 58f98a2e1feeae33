"""Every endpoint × role × another organization's key × anonymous (one table).

A new endpoint must add a row: ``test_every_route_has_a_row`` fails otherwise.
"""

import re

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from tests.api.conftest import key_client

ROLES = [
    "anonymous",
    "no_role",
    "coordinator",
    "other_org_coordinator",
    "approver",
    "refresh_manager",
    "refresh_admin",
    "orders_technician",
    "orders_manager",
]
# Shorthands: refresh staff only, orders people, scheduling viewers.
REFRESH_READ = dict.fromkeys(["refresh_manager", "refresh_admin"], 200)
SLOTS_READ = dict.fromkeys(["refresh_manager", "refresh_admin"], 200)
ORDERS_STAFF_404 = dict.fromkeys(["orders_technician", "orders_manager"], 404)
ORDERS_STAFF_400 = dict.fromkeys(["orders_technician", "orders_manager"], 400)

# (method, path template, body, {role: status}); roles left out answer 403,
# anonymous always 401.
TABLE = [
    ("get", "/api/v1/refresh/tickets/", None, REFRESH_READ),
    ("get", "/api/v1/refresh/tickets/{ticket}/", None, REFRESH_READ),
    ("post", "/api/v1/refresh/tickets/{ticket}/hold/", {}, REFRESH_READ),
    ("post", "/api/v1/refresh/tickets/{ticket}/resume/", {}, dict.fromkeys(REFRESH_READ, 409)),
    ("post", "/api/v1/refresh/tickets/{ticket}/cancel/", {}, {"refresh_admin": 200}),
    (
        "post",
        "/api/v1/refresh/tickets/{ticket}/request-reschedule/",
        {},
        dict.fromkeys(REFRESH_READ, 409),
    ),
    (
        "post",
        "/api/v1/refresh/tickets/{ticket}/tracking-number/",
        {"tracking_number": "1Z999"},
        # Allowed for refresh admins only; the world's ticket is on-prem, so the
        # service refuses it (400). test_refresh_api.py sets one on a remote ticket.
        {"refresh_admin": 400},
    ),
    (
        "post",
        "/api/v1/refresh/tickets/{ticket}/replacement/",
        {"serial_number": "{stock}"},
        {"refresh_admin": 200},
    ),
    (
        "post",
        "/api/v1/refresh/tickets/{ticket}/book/",
        {"slot_id": "{slot}"},
        dict.fromkeys(REFRESH_READ, 409),
    ),
    ("get", "/api/v1/refresh/batches/", None, REFRESH_READ),
    ("get", "/api/v1/refresh/batches/{batch}/", None, REFRESH_READ),
    (
        "post",
        "/api/v1/refresh/batches/",
        {"name": "API batch", "config_id": "{config}", "serials": ["{stock}"]},
        {"refresh_admin": 201},
    ),
    ("get", "/api/v1/refresh/configs/", None, REFRESH_READ),
    ("get", "/api/v1/refresh/configs/{config}/", None, REFRESH_READ),
    ("get", "/api/v1/refresh/systems/", None, REFRESH_READ),
    ("get", "/api/v1/refresh/systems/{serial}/", None, REFRESH_READ),
    (
        "post",
        "/api/v1/refresh/systems/",
        {"serial_number": "{serial}", "room": "204"},
        {"refresh_admin": 200},
    ),
    (
        "get",
        "/api/v1/orders/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 200,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "get",
        "/api/v1/orders/{order}/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/orders/",
        {"order_type": "email_only", "fields": {"new_full_name": "Sam New"}},
        {"coordinator": 201, "other_org_coordinator": 201},
    ),
    (
        "post",
        "/api/v1/orders/{order}/submit/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/cancel/",
        {},
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 403,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/hold/",
        {},
        {
            "coordinator": 403,
            "other_org_coordinator": 403,
            "orders_technician": 409,
            "orders_manager": 409,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/resume/",
        {},
        {
            "coordinator": 403,
            "other_org_coordinator": 403,
            "orders_technician": 409,
            "orders_manager": 409,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/details/",
        {"priority": "high"},
        {
            "coordinator": 403,
            "other_org_coordinator": 403,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/actions/1/process/",
        {},
        {
            "coordinator": 403,
            "other_org_coordinator": 403,
            "orders_technician": 404,
            "orders_manager": 404,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/actions/1/skip/",
        {"note": "n/a"},
        {
            "coordinator": 403,
            "other_org_coordinator": 403,
            "orders_technician": 404,
            "orders_manager": 404,
        },
    ),
    (
        "get",
        "/api/v1/orders/{order}/messages/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/messages/",
        {"body": "Any news?"},
        {
            "coordinator": 201,
            "other_org_coordinator": 404,
            "orders_technician": 201,
            "orders_manager": 201,
        },
    ),
    (
        "get",
        "/api/v1/orders/{order}/attachments/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/orders/{order}/attachments/",
        {"kind": "reply", "body": "The signed form.", "attachments": "{file}"},
        {
            "coordinator": 403,
            "other_org_coordinator": 403,
            "orders_technician": 201,
            "orders_manager": 201,
        },
    ),
    (
        "get",
        "/api/v1/orders/{order}/attachments/{attachment}/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "get",
        "/api/v1/orders/{order}/attachments/{internal_attachment}/",
        None,
        {
            "coordinator": 404,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    # Staff-defined request types: coordinators see those of their organization and
    # start requests; orders staff see every type but create none.
    (
        "get",
        "/api/v1/request-types/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 200,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "get",
        "/api/v1/request-types/{request_type}/",
        None,
        {
            "coordinator": 200,
            "other_org_coordinator": 404,
            "orders_technician": 200,
            "orders_manager": 200,
        },
    ),
    (
        "post",
        "/api/v1/request-types/{request_type}/requests/",
        {"values": {}},
        {"coordinator": 201, "other_org_coordinator": 404},
    ),
    ("get", "/api/v1/scheduling/slots/", None, SLOTS_READ),
    ("get", "/api/v1/scheduling/slots/{slot}/", None, SLOTS_READ),
    # An install's appointment (orders staff; the world's order is an email-only draft:
    # nothing booked, nothing to book).
    ("get", "/api/v1/orders/{order}/appointment/", None, ORDERS_STAFF_404),
    ("post", "/api/v1/orders/{order}/appointment/", {"slot_id": "{slot}"}, ORDERS_STAFF_400),
    ("delete", "/api/v1/orders/{order}/appointment/", {}, ORDERS_STAFF_400),
]


def _fill(value, world):
    names = {
        "ticket": world.ticket.pk,
        "order": world.order.number,
        "config": world.config.pk,
        "serial": world.system.serial_number,
        "slot": world.slot.pk,
        "stock": world.stock.serial_number,
        "batch": world.batch.pk,
        "attachment": world.attachment.pk,
        "internal_attachment": world.internal_attachment.pk,
        "request_type": world.request_type.slug,
    }
    if value == "{file}":  # a fresh upload for each request (multipart)
        return SimpleUploadedFile("form.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "expected"), TABLE, ids=lambda v: str(v))
def test_permission_table(world, method, path, body, expected):
    """Each role tries the row on the same objects; every attempt is rolled back."""
    clients = {role: key_client(world.people[role]) for role in ROLES if role != "anonymous"}
    clients["anonymous"] = APIClient()
    got = {}
    for role in ROLES:
        data = _fill(body, world)
        for name in ("slot_id", "config_id"):
            if isinstance(data, dict) and name in data:
                data[name] = int(data[name])
        files = isinstance(data, dict) and any(isinstance(v, File) for v in data.values())
        with transaction.atomic():
            response = getattr(clients[role], method)(
                _fill(path, world), data=data, format="multipart" if files else "json"
            )
            transaction.set_rollback(True)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == response.status_code
    want = {role: 401 if role == "anonymous" else expected.get(role, 403) for role in ROLES}
    assert got == want


def _normalize(path: str) -> str:
    path = re.sub(r"/actions/1/(process|skip)/", "/actions/{x}/{x}/", path)
    return re.sub(r"\{[^}]+\}", "{x}", path)


def test_every_route_has_a_row():
    """Every operation of the OpenAPI schema has a row in TABLE (a new endpoint needs one)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (method, _normalize(path))
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {(method, _normalize(path)) for method, path, _b, _e in TABLE}
    assert operations, "the schema lists no operation"
    assert operations - covered == set()
