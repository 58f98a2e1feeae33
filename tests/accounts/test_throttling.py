"""Wrong passwords and reset requests are rate-limited (allauth's limits, our settings)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


def attempt(client, email, password, ip="198.51.100.7"):
    return client.post(reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_an_account_locks_after_five_wrong_passwords_even_for_the_right_one(client):
    UserFactory(email="pat@example.edu")
    for n in range(5):
        response = attempt(client, "pat@example.edu", f"wrong {n}", ip=f"198.51.100.{n}")
        assert "do not match an active account" in response.content.decode()

    locked = attempt(client, "pat@example.edu", PASSWORD, ip="203.0.113.9")
    assert locked.status_code == 200
    assert LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_accounts_still_sign_in_while_one_is_locked(client):
    UserFactory(email="pat@example.edu")
    UserFactory(email="sam@example.edu")
    for n in range(5):
        attempt(client, "pat@example.edu", f"wrong {n}", ip=f"198.51.100.{n}")
    assert attempt(client, "sam@example.edu", PASSWORD).status_code == 302


def test_one_client_guessing_across_accounts_is_locked_out(client):
    UserFactory(email="pat@example.edu")
    for n in range(10):
        attempt(client, f"nobody{n}@example.edu", "guess", ip="192.0.2.50")
    locked = attempt(client, "pat@example.edu", PASSWORD, ip="192.0.2.50")
    assert LOCKED in locked.content.decode() or locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another client is not affected.
    assert attempt(client, "pat@example.edu", PASSWORD, ip="192.0.2.51").status_code == 302


def test_password_reset_requests_are_rate_limited_per_address(client, mailoutbox):
    UserFactory(email="pat@example.edu")
    statuses = [
        client.post(
            reverse("password_reset"), {"email": "pat@example.edu"}, REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(6)
    ]
    assert len(mailoutbox) == 3
    assert statuses[:3] == [302, 302, 302]
    assert all(status != 302 for status in statuses[3:])
