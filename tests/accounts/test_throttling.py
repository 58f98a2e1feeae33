"""Wrong passwords and reset requests are rate-limited (allauth's limits, our settings)."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"
SLOW_DOWN = re.compile(r"Too many attempts, wait (\d+) seconds")


def attempt(client, email, password, ip="198.51.100.7"):
    return client.post(reverse("login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_an_account_locks_after_five_wrong_passwords_even_for_the_right_one(client):
    UserFactory(email="pat@example.edu")
    start = timezone.now()
    for n in range(5):
        # Spaced past the 30-second slow-down window: only the lock counts here.
        with time_machine.travel(start + dt.timedelta(seconds=31 * n), tick=False):
            response = attempt(client, "pat@example.edu", f"wrong {n}", ip=f"198.51.100.{n}")
        assert "do not match an active account" in response.content.decode()

    with time_machine.travel(start + dt.timedelta(seconds=31 * 5), tick=False):
        locked = attempt(client, "pat@example.edu", PASSWORD, ip="203.0.113.9")
    assert locked.status_code == 200
    page = locked.content.decode()
    assert LOCKED in page
    assert re.search(r"try again in 1[0-5] minutes", page)
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_in_a_row_slow_down_before_the_lock(client):
    """Issue 14 item 3: three wrong passwords for one account within 30 seconds
    and the next attempt (even the right password, from anywhere) waits; after
    the short window it is answered again, and the lock still comes at five."""
    UserFactory(email="pat@example.edu")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            page = attempt(client, "pat@example.edu", f"wrong {n}").content.decode()
            assert "do not match an active account" in page
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        slowed = attempt(client, "pat@example.edu", PASSWORD, ip="203.0.113.9")
    assert slowed.status_code == 200
    wait = SLOW_DOWN.search(slowed.content.decode())
    assert wait is not None, slowed.content.decode()
    assert 1 <= int(wait.group(1)) <= 20
    assert "_auth_user_id" not in client.session

    # After the short window the account answers again: two more wrong
    # passwords are checked, and the fifth locks it for the long window.
    with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
        for n in range(2):
            page = attempt(client, "pat@example.edu", f"later {n}").content.decode()
            assert "do not match an active account" in page
    with time_machine.travel(start + dt.timedelta(seconds=95), tick=False):
        locked = attempt(client, "pat@example.edu", PASSWORD).content.decode()
    assert LOCKED in locked
    assert not SLOW_DOWN.search(locked)


def test_the_right_password_inside_the_first_failures_still_signs_in(client):
    UserFactory(email="pat@example.edu")
    for n in range(2):
        attempt(client, "pat@example.edu", f"wrong {n}")
    assert attempt(client, "pat@example.edu", PASSWORD).status_code == 302


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
    # The per-address limit is a one-minute window: the client is told to wait.
    assert SLOW_DOWN.search(locked.content.decode()) or locked.status_code == 429
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
