"""Issue 12 item 10: choosing a person is a search over the organization's people
showing name, email and department; namesakes can be told apart, with or without
JavaScript."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.choices import OrderType
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(organization):
    cardiology = OrganizationFactory(name="Cardiology", parent=organization)
    return {
        "avery_main": UserFactory(
            full_name="Avery Garcia",
            email="avery.garcia@med.example.edu",
            organization=organization,
        ),
        "avery_cardio": UserFactory(
            full_name="Avery Garcia",
            email="avery.garcia2@cardio.example.edu",
            organization=cardiology,
        ),
        "lee": UserFactory(
            full_name="Lee Huang", email="lee.huang@cardio.example.edu", organization=cardiology
        ),
        "outsider": UserFactory(
            full_name="Avery Outsider",
            email="avery@elsewhere.edu",
            organization=OrganizationFactory(name="Elsewhere"),
        ),
    }


def _search(client, q, field="existing_user"):
    response = client.get(reverse("orders:portal_people"), {"q": q, "field": field})
    assert response.status_code == 200
    return response.content.decode()


def test_the_search_finds_people_by_name_email_or_department_and_tells_namesakes_apart(
    coordinator_client, people
):
    page = _search(coordinator_client, "avery")
    assert page.count('role="option"') == 2
    assert f'data-value="{people["avery_main"].pk}"' in page
    assert f'data-value="{people["avery_cardio"].pk}"' in page
    assert "avery.garcia2@cardio.example.edu · Cardiology" in page
    assert "Outsider" not in page  # another organization's people are never offered

    page = _search(coordinator_client, "avery cardio")  # every word must match
    assert page.count('role="option"') == 1
    assert f'data-value="{people["avery_cardio"].pk}"' in page
    assert _search(coordinator_client, "huang@").count('role="option"') == 1
    assert _search(coordinator_client, "nobody-like-this").count('role="option"') == 0


def test_user_being_replaced_offers_people_and_parked_workstations(
    coordinator_client, coordinator, people
):
    from orders.models import WorkstationPlaceholder
    from tests.orders.factories import OrderFactory

    parked = WorkstationPlaceholder.objects.create(
        name="tmp-WX14 77801",
        workstation="WX14",
        organization=coordinator.organization,
        order=OrderFactory(organization=coordinator.organization),
    )
    page = _search(coordinator_client, "avery", field="replacing")
    assert f'data-value="user:{people["avery_cardio"].pk}"' in page
    page = _search(coordinator_client, "WX14", field="replacing")
    assert f'data-value="placeholder:{parked.pk}"' in page
    assert "Parked workstation" in page


def test_the_form_works_without_javascript_and_shows_distinguishable_options(
    coordinator_client, people, queues
):
    url = reverse("orders:portal_create", args=[OrderType.DEACTIVATE_FUTURE_REPLACEMENT])
    page = coordinator_client.get(url).content.decode()
    # The plain select (shown without JavaScript) names email and department.
    assert "Avery Garcia · avery.garcia@med.example.edu · " in page
    assert "Avery Garcia · avery.garcia2@cardio.example.edu · Cardiology" in page
    # The search box is there for JavaScript to reveal, wired to the search URL.
    assert 'role="combobox"' in page
    assert reverse("orders:portal_people") + "?field=existing_user" in page
    response = coordinator_client.post(
        url,
        {
            "existing_user": people["avery_cardio"].pk,
            "workstation": "WX20",
            "intent": "save",
        },
    )
    assert response.status_code == 302
    from orders.models import Order

    assert Order.objects.get().existing_user == people["avery_cardio"]


def test_only_coordinators_search_people(client, make_user, people):
    client.force_login(make_user(Role.ORDERS_TECHNICIAN, is_staff=True))
    assert client.get(reverse("orders:portal_people"), {"q": "avery"}).status_code == 403
