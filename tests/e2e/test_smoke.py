import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_renders_and_a_demo_user_sees_their_name(page, live_server, login):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Sign in to Handover")).to_be_visible()

    user = UserFactory(full_name="Carla Coordinator", roles=[Role.COORDINATOR])
    login(user)

    expect(page.get_by_role("heading", name="Welcome, Carla")).to_be_visible()
    expect(page.get_by_text("Carla Coordinator", exact=True)).to_be_visible()


def test_wrong_password_is_refused_with_a_clear_message(page, live_server, login):
    user = UserFactory(full_name="Pat Person")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an active account")).to_be_visible()
