"""API keys: made on the profile page or in the admin, shown once, stored hashed,
expiring, revocable, rate limited per key."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import user_set_roles
from api.models import ApiKey
from api.services import api_key_create, api_key_revoke

TICKETS = "/api/v1/refresh/tickets/"


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def manager(make_user):
    return make_user(Role.REFRESH_MANAGER, is_staff=True)


def test_key_page_shows_the_token_once_and_stores_only_a_hash(client, manager):
    client.force_login(manager)
    response = client.post(reverse("api_keys:list"), {"name": "HR sync"})
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("hov_")
    assert token in response.content.decode()
    key = ApiKey.objects.get(user=manager)
    assert token not in (key.key_hash, key.prefix)
    assert len(key.key_hash) == 64
    again = client.get(reverse("api_keys:list")).content.decode()
    assert token not in again
    assert "HR sync" in again
    assert bearer(token).get(TICKETS).status_code == 200


def test_key_page_asks_for_a_name(client, manager):
    client.force_login(manager)
    response = client.post(reverse("api_keys:list"), {"name": ""})
    assert response.context["token"] is None
    assert "This field is required." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoked_key_stops_working_and_only_the_owner_revokes(client, manager, make_user):
    key, token = api_key_create(user=manager, name="inventory")
    other = make_user(Role.REFRESH_MANAGER)
    client.force_login(other)
    assert client.post(reverse("api_keys:revoke", args=[key.pk])).status_code == 404
    assert bearer(token).get(TICKETS).status_code == 200
    client.force_login(manager)
    client.post(reverse("api_keys:revoke", args=[key.pk]))
    response = bearer(token).get(TICKETS)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The API key is unknown, expired or revoked."


def test_expired_and_unknown_keys_are_refused(manager):
    key, token = api_key_create(
        user=manager, name="short", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert bearer(token).get(TICKETS).status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(token).get(TICKETS).status_code == 401
    assert bearer(token[:-2] + "xx").get(TICKETS).status_code == 401
    assert bearer("hov_nothing").get(TICKETS).status_code == 401


def test_a_key_records_when_it_was_last_used(manager):
    key, token = api_key_create(user=manager, name="hr")
    assert key.last_used_at is None
    bearer(token).get(TICKETS)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_key_acts_with_its_users_role(make_user):
    coordinator = make_user(Role.COORDINATOR)
    _, token = api_key_create(user=coordinator, name="x")
    assert bearer(token).get(TICKETS).status_code == 403


def test_a_warm_key_request_reads_no_permission_table_and_follows_role_changes(make_user):
    manager = make_user(Role.REFRESH_MANAGER, is_staff=True)
    _, token = api_key_create(user=manager, name="inventory")
    client = bearer(token)
    assert client.get(TICKETS).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(TICKETS).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "auth_permission" not in sql
    assert "auth_group" not in sql

    user_set_roles(user=manager, roles=[Role.COORDINATOR])
    assert client.get(TICKETS).status_code == 403  # the next request, not after a timeout


def test_superuser_creates_a_key_for_a_service_account_in_the_admin(client, superuser, make_user):
    service = make_user(Role.REFRESH_ADMINISTRATOR, email="inventory-bot@example.edu")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:api_apikey_add"), {"user": service.pk, "name": "Asset inventory"}
    )
    assert response.status_code == 302
    key = ApiKey.objects.get(user=service)
    assert key.created_by == superuser
    shown = [str(m) for m in response.wsgi_request._messages]
    token = shown[0].split(": ", 1)[1].split(" ")[0]
    assert bearer(token).get("/api/v1/refresh/systems/").status_code == 200


def test_revoking_someone_elses_key_is_refused(manager, make_user):
    key, _ = api_key_create(user=manager, name="x")
    with pytest.raises(Exception, match="only revoke your own"):
        api_key_revoke(key=key, actor=make_user())


def test_rate_limit_is_per_key_with_retry_after(settings, manager):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from api.throttling import ApiRateThrottle

    original = ApiRateThrottle.THROTTLE_RATES
    ApiRateThrottle.THROTTLE_RATES = rates
    try:
        _, first = api_key_create(user=manager, name="a")
        _, second = api_key_create(user=manager, name="b")
        client = bearer(first)
        assert [client.get(TICKETS).status_code for _ in range(2)] == [200, 200]
        limited = client.get(TICKETS)
        assert limited.status_code == 429
        assert limited["Content-Type"] == "application/problem+json"
        assert 0 < int(limited["Retry-After"]) <= 60
        assert bearer(second).get(TICKETS).status_code == 200
    finally:
        ApiRateThrottle.THROTTLE_RATES = original
