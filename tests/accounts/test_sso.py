"""Single sign-on against a real OpenID Connect provider running in its own process."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.models import IdpGroupRole, SignInRecord, User
from accounts.roles import Role, user_has_role
from accounts.sessions import MFA_ENROL
from tests.accounts.factories import PASSWORD, OrganizationDomainFactory, UserFactory

pytestmark = pytest.mark.django_db


def sso_sign_in(client, provider, sub: str, next_url: str = ""):
    """Walk the whole OIDC flow: our button, the provider's page, our callback."""
    start = client.post("/accounts/oidc/idp/login/" + (f"?next={next_url}" if next_url else ""), {})
    assert start.status_code == 302, start.content[:300]
    assert start["Location"].startswith(provider.url)
    back = urlsplit(provider.authorize(start["Location"], sub))
    return client.get(f"{back.path}?{back.query}")


def test_login_page_offers_the_identity_provider_when_configured(client, sso_settings):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Example University" in page
    assert "Emergency administrator sign-in" in page


def test_login_page_without_sso_is_the_local_form_only(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert 'name="login"' in page


def test_first_sign_in_creates_the_user_in_their_domain_organization_with_mapped_roles(
    client, sso_settings, oidc_provider
):
    domain = OrganizationDomainFactory(domain="med.example.edu")
    IdpGroupRole.objects.create(group="it-orders", role=Role.ORDERS_TECHNICIAN)
    IdpGroupRole.objects.create(group="unrelated", role=Role.REFRESH_ADMINISTRATOR)
    oidc_provider.put_user(
        "sso-new",
        email="Kim.Lee@med.example.edu",
        email_verified=True,
        name="Kim Lee",
        groups=["it-orders", "staff-all"],
    )
    response = sso_sign_in(client, oidc_provider, "sso-new")

    assert response.status_code == 302
    user = User.objects.get(email="kim.lee@med.example.edu")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.organization == domain.organization
    assert user.full_name == "Kim Lee"
    assert not user.has_usable_password()
    assert user_has_role(user, Role.ORDERS_TECHNICIAN)
    assert not user_has_role(user, Role.REFRESH_ADMINISTRATOR)
    record = SignInRecord.objects.get(user=user)
    assert (record.method, record.break_glass) == ("sso", False)


def test_group_claim_replaces_roles_on_every_sign_in(client, sso_settings, oidc_provider):
    user = UserFactory(email="pat@example.edu", roles=[Role.REFRESH_ADMINISTRATOR])
    IdpGroupRole.objects.create(group="coordinators", role=Role.COORDINATOR)
    oidc_provider.put_user(
        "sso-pat", email="pat@example.edu", email_verified=True, groups=["coordinators"]
    )
    sso_sign_in(client, oidc_provider, "sso-pat")

    assert client.session["_auth_user_id"] == str(user.pk)
    user = User.objects.get(pk=user.pk)
    assert user_has_role(user, Role.COORDINATOR)
    assert not user_has_role(user, Role.REFRESH_ADMINISTRATOR)


def test_staff_without_idp_mfa_must_enrol_a_second_factor(client, sso_settings, oidc_provider):
    IdpGroupRole.objects.create(group="refresh-admins", role=Role.REFRESH_ADMINISTRATOR)
    oidc_provider.put_user(
        "sso-staff", email="lee@example.edu", email_verified=True, groups=["refresh-admins"]
    )
    sso_sign_in(client, oidc_provider, "sso-staff")

    assert client.session[MFA_ENROL] is True
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_staff_whose_idp_did_mfa_is_not_asked_twice(client, sso_settings, oidc_provider):
    IdpGroupRole.objects.create(group="refresh-admins", role=Role.REFRESH_ADMINISTRATOR)
    oidc_provider.put_user(
        "sso-mfa",
        email="ana@example.edu",
        email_verified=True,
        groups=["refresh-admins"],
        amr=["pwd", "mfa"],
    )
    sso_sign_in(client, oidc_provider, "sso-mfa")

    assert MFA_ENROL not in client.session
    assert client.get("/").status_code == 200
    assert SignInRecord.objects.get(user__email="ana@example.edu").idp_mfa


def test_with_sso_on_a_local_password_is_refused_to_non_superusers(client, sso_settings):
    UserFactory(email="pat@example.edu")
    response = client.post(reverse("login"), {"login": "pat@example.edu", "password": PASSWORD})
    assert response.status_code == 200
    assert "Sign in with your institution" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_break_glass_superuser_sign_in_works_and_is_recorded(client, sso_settings, caplog):
    admin = UserFactory(email="root@example.edu", is_superuser=True, is_staff=True)
    response = client.post(reverse("login"), {"login": "root@example.edu", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    record = SignInRecord.objects.get(user=admin)
    assert (record.method, record.break_glass) == ("password", True)
    assert "Break-glass sign-in" in caplog.text


def test_without_sso_a_local_sign_in_is_not_break_glass(client):
    user = UserFactory(email="pat@example.edu")
    client.post(reverse("login"), {"login": "pat@example.edu", "password": PASSWORD})
    assert SignInRecord.objects.get(user=user).break_glass is False
