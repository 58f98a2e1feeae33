"""Access per contact (issue 13): users created in the admin join their email
domain's organization; the primary contact is copied on every request."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import OrganizationDomainFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_added_in_the_admin_joins_the_organization_of_their_domain(client, superuser):
    domain = OrganizationDomainFactory(domain="chem.example.edu")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ada@chem.example.edu",
            "full_name": "Ada",
            "password1": "a long enough pass phrase 42",
            "password2": "a long enough pass phrase 42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="ada@chem.example.edu").organization == domain.organization


def test_the_primary_contact_is_copied_on_requests_someone_else_submitted(organization):
    from orders.services.notify import _coordinator_emails
    from tests.orders.factories import OrderFactory

    primary = UserFactory(organization=organization, email="primary@example.edu")
    organization.primary_contact = primary
    organization.save()
    submitter = UserFactory(organization=organization, email="sub@example.edu")
    order = OrderFactory(organization=organization, submitted_by=submitter)
    assert _coordinator_emails(order) == ["sub@example.edu", "primary@example.edu"]
