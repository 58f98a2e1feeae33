"""Issue 12 item 10 in the browser: a coordinator finds the right "Avery Garcia" by
typing, picks her with the keyboard, and the draft names that person."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from orders.models import Order
from orders.services import order_queues_ensure_defaults
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_search_as_you_type_tells_namesakes_apart(page, live_server, login):
    medicine = OrganizationFactory(name="School of Medicine")
    cardiology = OrganizationFactory(name="Cardiology", parent=medicine)
    coordinator = UserFactory(organization=medicine, roles=[Role.COORDINATOR])
    UserFactory(
        full_name="Avery Garcia", email="avery.garcia@med.example.edu", organization=medicine
    )
    cardio_avery = UserFactory(
        full_name="Avery Garcia", email="avery.garcia2@cardio.example.edu", organization=cardiology
    )
    for i in range(30):
        UserFactory(full_name=f"Person {i:02d}", organization=medicine)
    order_queues_ensure_defaults()

    login(coordinator)
    page.goto(f"{live_server.url}/orders/new/deactivate_future_replacement/")
    picker = page.get_by_role("combobox", name="User to deactivate")
    expect(picker).to_be_visible()
    picker.fill("avery")
    listbox = page.get_by_role("listbox", name="Matching people")
    expect(listbox.get_by_role("option")).to_have_count(2)
    cardio_option = listbox.get_by_role("option").filter(
        has_text="avery.garcia2@cardio.example.edu"
    )
    expect(cardio_option).to_contain_text("Cardiology")
    expect(
        listbox.get_by_role("option").filter(has_text="avery.garcia@med.example.edu")
    ).to_contain_text("School of Medicine")

    # Narrow by department, choose with the keyboard.
    picker.fill("avery cardio")
    expect(listbox.get_by_role("option")).to_have_count(1)
    picker.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "id_existing_user_listbox-option-0")
    picker.press("Enter")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_value("Avery Garcia · avery.garcia2@cardio.example.edu · Cardiology")

    page.get_by_label("Workstation").fill("WX20")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("combobox", name="User to deactivate")).to_have_value(
        "Avery Garcia · avery.garcia2@cardio.example.edu · Cardiology"
    )
    assert Order.objects.get().existing_user == cardio_avery
