"""A manager creates a request type with three custom fields; a coordinator submits it
(issue 13). The conditional field shows only for its value."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from orders.choices import OrderStatus, OrderType
from orders.models import Order, OrderQueue
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_defines_a_type_and_a_coordinator_submits_it(page, live_server, login):
    organization = OrganizationFactory(name="School of Music")
    coordinator = UserFactory(organization=organization, roles=[Role.COORDINATOR])
    technician = UserFactory(roles=[Role.ORDERS_TECHNICIAN], is_staff=True, full_name="Tia Tech")
    manager = UserFactory(
        roles=[Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN], is_staff=True, full_name="Max"
    )
    queue = OrderQueue.objects.create(name="Web desk", order_type=OrderType.REQUEST)
    queue.team.add(technician)

    login(manager)
    page.goto(f"{live_server.url}/orders/staff/request-types/")
    page.get_by_role("link", name="New request type").click()
    page.get_by_label("Name").fill("Website change")
    page.get_by_label("Description").fill("A change to a page of your website.")
    page.get_by_label("Queue").select_option(label="Web desk")
    page.get_by_role("button", name="Create request type").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Website change")

    fields = page.locator("form", has=page.get_by_role("button", name="Add field"))
    fields.get_by_label("Label").fill("Page address")
    fields.get_by_label("Kind").select_option(label="Web address")
    fields.get_by_label("Required").check()
    page.get_by_role("button", name="Add field").click()
    fields.get_by_label("Label").fill("New page")
    fields.get_by_label("Kind").select_option(label="Yes/no")
    page.get_by_role("button", name="Add field").click()
    fields.get_by_label("Label").fill("Page title")
    fields.get_by_label("Kind").select_option(label="Text")
    fields.get_by_label("Required").check()
    fields.get_by_label("Only when field").select_option(label="New page")
    fields.get_by_label("has the value").fill("yes")
    page.get_by_role("button", name="Add field").click()
    expect(page.get_by_role("cell", name="New page = yes")).to_be_visible()

    page.context.clear_cookies()
    login(coordinator)
    page.goto(f"{live_server.url}/orders/new/")
    page.get_by_role("link", name="Start: Website change").click()
    page.get_by_label("Page address").fill("https://music.example.edu/concerts")
    # The conditional field shows only for its value (static/js/request_form.js).
    expect(page.get_by_label("Page title")).to_be_hidden()
    page.get_by_label("Yes").check()
    expect(page.get_by_label("Page title")).to_be_visible()
    page.get_by_role("button", name="Submit request").click()
    # The conditional field showed (New page = yes) and is required.
    expect(page.get_by_text("Page title: this is required.")).to_be_visible()
    page.get_by_label("Page title").fill("Concerts")
    page.get_by_role("button", name="Submit request").click()
    order = Order.objects.get(request_type__name="Website change")
    expect(page.get_by_role("heading", level=2, name="Your answers")).to_be_visible()
    expect(page.get_by_text("Concerts", exact=True)).to_be_visible()
    assert order.status == OrderStatus.SUBMITTED
    assert order.owner == technician
    assert order.custom_values == {
        "page_address": "https://music.example.edu/concerts",
        "new_page": "yes",
        "page_title": "Concerts",
    }
