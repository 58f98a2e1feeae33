"""Signed-in sessions end after SESSION_MAX_HOURS and after SESSION_IDLE_MINUTES idle."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, make_user, organization):
    user = make_user(Role.COORDINATOR, organization=organization)
    response = client.post(reverse("login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def test_thirty_idle_minutes_sign_a_person_out(client, signed_in):
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/orders/")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next=/orders/"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "after 30 minutes without activity" in page


def test_an_active_session_still_ends_after_eight_hours(client, signed_in):
    start = timezone.now()
    for minutes in range(20, 8 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=8, minutes=5), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


def test_limits_follow_the_settings(client, signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 5
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert client.get("/").status_code == 302


def test_login_and_signed_out_pages_name_the_site_not_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.edu", "testserver"]
    user = UserFactory()
    page = client.get(reverse("login"), HTTP_HOST="portal.example.edu").content.decode()
    assert "<title>Sign in · Handover</title>" in page
    assert "portal.example.edu" not in page
    client.post(reverse("login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("logout"), follow=True)
    page = response.content.decode()
    assert "Sign in to Handover" in page
    assert "testserver" not in page


def test_a_customer_link_page_sets_no_session(client, db):
    response = client.get("/refresh/c/not-a-real-token/")
    assert response.status_code in (404, 410)
    assert "sessionid" not in response.cookies
