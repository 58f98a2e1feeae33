"""Staff enrol a second factor before anything else; coordinators may; sign-in asks for it."""

import time

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from accounts.sessions import MFA_ENROL
from tests.accounts.factories import PASSWORD, UserFactory
from tests.totp import secret_on_page, totp_code

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(reverse("login"), {"login": user.email, "password": PASSWORD})


def enrol_totp(client) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    secret = secret_on_page(page.content.decode())
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


@pytest.mark.parametrize(
    "fields",
    [
        {"roles": [Role.ORDERS_TECHNICIAN]},
        {"roles": [Role.REFRESH_MANAGER]},
        {"is_staff": True},
        {"is_superuser": True},
    ],
    ids=["orders-technician", "refresh-manager", "admin-user", "superuser"],
)
def test_staff_without_a_second_factor_reach_only_the_enrolment(client, fields):
    user = UserFactory(**fields)
    sign_in(client, user)

    for url in ["/", "/orders/", "/refresh/", "/admin/", "/notifications/outbox/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_enrolling_totp_opens_staff_pages_and_gives_recovery_codes(client):
    user = UserFactory(roles=[Role.ORDERS_MANAGER])
    sign_in(client, user)
    enrol_totp(client)

    assert client.get("/").status_code == 200
    assert MFA_ENROL not in client.session
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert user.authenticator_set.filter(type="recovery_codes").exists()


def test_coordinators_are_not_made_to_enrol(client, make_user, organization):
    coordinator = make_user(Role.COORDINATOR, organization=organization)
    sign_in(client, coordinator)
    assert MFA_ENROL not in client.session
    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_an_enrolled_staff_member_gives_the_code_at_sign_in(client, request):
    user = UserFactory(roles=[Role.ORDERS_TECHNICIAN])
    sign_in(client, user)
    secret = enrol_totp(client)
    client.post(reverse("logout"))
    # The next time step: a code already used (at enrolment) is refused.
    traveller = time_machine.travel(time.time() + 31, tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)

    response = sign_in(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert MFA_ENROL not in client.session
    assert client.get("/").status_code == 200


def test_admin_sign_in_goes_through_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_enrolment_can_be_switched_off_for_the_demo(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    sign_in(client, UserFactory(roles=[Role.ORDERS_TECHNICIAN]))
    assert client.get("/").status_code == 200
