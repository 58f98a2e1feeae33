"""A staff member signs in through the institution's IdP and enrols an authenticator app."""

import pytest
from playwright.sync_api import expect

from accounts.models import IdpGroupRole, User
from accounts.roles import Role
from tests import oidc
from tests.totp import totp_code

oidc_provider = oidc.oidc_provider
sso_settings = oidc.sso_settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_signs_in_through_the_idp_and_enrols_totp(
    page, live_server, oidc_provider, sso_settings
):
    IdpGroupRole.objects.create(group="it-refresh", role=Role.REFRESH_MANAGER)
    oidc_provider.put_user(
        "e2e-staff",
        email="robin.staff@example.edu",
        email_verified=True,
        name="Robin Staff",
        groups=["it-refresh"],
    )

    page.goto(f"{live_server.url}/refresh/")
    expect(page.get_by_role("heading", name="Sign in to Handover")).to_be_visible()
    page.get_by_role("button", name="Sign in with Example University").click()

    # The identity provider's own page, in its own process.
    page.wait_for_url(f"{oidc_provider.url}/**")
    page.get_by_placeholder("sub").fill("e2e-staff")
    page.get_by_role("button", name="Authorize", exact=True).click()

    # Back on Handover: a staff role with no second factor goes to the enrolment.
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(page.get_by_text("Staff accounts need a second factor")).to_be_visible()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()

    page.goto(f"{live_server.url}/refresh/")
    expect(page.get_by_text("Robin Staff", exact=True)).to_be_visible()
    assert "/accounts/" not in page.url
    user = User.objects.get(email="robin.staff@example.edu")
    assert set(user.authenticator_set.values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
