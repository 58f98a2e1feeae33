import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import ROLE_GROUP_NAMES, Role, user_has_role
from accounts.selectors import organization_for_email, organizations_visible_to
from accounts.services import user_create
from tests.accounts.factories import (
    PASSWORD,
    OrganizationDomainFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(ROLE_GROUP_NAMES.values()) <= names


def test_role_groups_carry_the_permissions_apps_name():
    group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.ORDERS_MANAGER])
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert "accounts.view_organization" in codes
    assert "notifications.view_outboundemail" in codes


def test_user_in_a_role_group_has_the_role_and_its_permissions():
    user = UserFactory(roles=[Role.ORDERS_TECHNICIAN])
    assert user_has_role(user, Role.ORDERS_TECHNICIAN)
    assert not user_has_role(user, Role.COORDINATOR)
    assert user.has_perm("notifications.view_outboundemail")


def test_login_with_email_and_password(client):
    user = UserFactory(email="Pat@Example.edu")
    response = client.post(reverse("login"), {"login": "pat@example.edu", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_failure_shows_a_message(client):
    UserFactory(email="pat@example.edu")
    response = client.post(reverse("login"), {"login": "pat@example.edu", "password": "nope"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="gone@example.edu", is_active=False)
    response = client.post(reverse("login"), {"login": "gone@example.edu", "password": PASSWORD})
    assert response["Location"] == reverse("account_inactive")
    assert "_auth_user_id" not in client.session


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_sends_a_link(client, mailoutbox):
    UserFactory(email="pat@example.edu")
    response = client.post(reverse("password_reset"), {"email": "pat@example.edu"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_emails_are_unique_whatever_their_case():
    user_create(email="Pat@Example.edu", password=PASSWORD)
    with pytest.raises(Exception):  # noqa: B017, PT011 - IntegrityError on either backend
        User.objects.create_user(email="pat@example.edu", password=PASSWORD)


class TestOrganizationScoping:
    def test_coordinator_sees_own_organization_and_sub_organizations_only(self):
        medicine = OrganizationFactory(name="Medicine")
        cardiology = OrganizationFactory(name="Cardiology", parent=medicine)
        pediatric_cardio = OrganizationFactory(name="Pediatric cardiology", parent=cardiology)
        engineering = OrganizationFactory(name="Engineering")
        coordinator = UserFactory(organization=medicine, roles=[Role.COORDINATOR])

        visible = set(organizations_visible_to(user=coordinator))

        assert visible == {medicine, cardiology, pediatric_cardio}
        assert engineering not in visible

    def test_sub_organization_coordinator_does_not_see_the_parent(self):
        medicine = OrganizationFactory()
        cardiology = OrganizationFactory(parent=medicine)
        coordinator = UserFactory(organization=cardiology, roles=[Role.COORDINATOR])
        assert set(organizations_visible_to(user=coordinator)) == {cardiology}

    def test_user_without_organization_sees_nothing(self):
        OrganizationFactory()
        assert not organizations_visible_to(user=UserFactory(roles=[Role.COORDINATOR])).exists()

    def test_staff_roles_see_every_organization(self):
        OrganizationFactory.create_batch(3)
        manager = UserFactory(roles=[Role.ORDERS_MANAGER])
        assert organizations_visible_to(user=manager).count() == 3

    def test_new_user_is_placed_by_email_domain_most_specific_first(self):
        medicine = OrganizationDomainFactory(domain="med.example.edu").organization
        cardiology = OrganizationDomainFactory(domain="cardio.med.example.edu").organization
        assert organization_for_email(email="a@cardio.med.example.edu") == cardiology
        assert organization_for_email(email="b@peds.med.example.edu") == medicine
        assert organization_for_email(email="c@gmail.com") is None
        assert user_create(email="d@med.example.edu").organization == medicine
