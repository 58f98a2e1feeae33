"""The coordinator's order page finds exactly the orders their list shows: the page
reads an order by number and checks it against the coordinator's scope
(``order_get_for_portal``), the list filters by it (``orders_for_portal``)."""

import pytest

from accounts.choices import PortalAccess, PortalVisibility
from accounts.roles import Role
from orders.selectors import order_get_for_portal, orders_for_portal
from tests.accounts.factories import OrganizationFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_the_page_and_the_list_agree_for_every_access_and_visibility(make_user):
    whole = PortalVisibility.ORGANIZATION
    parent = OrganizationFactory(portal_visibility=whole)
    organizations = {
        "parent": parent,
        "child": OrganizationFactory(parent=parent, portal_visibility=whole),
        "child_own": OrganizationFactory(parent=parent, portal_visibility=PortalVisibility.OWN),
        "open": OrganizationFactory(portal_visibility=PortalVisibility.ALL),
        "elsewhere": OrganizationFactory(),
    }
    people = [
        make_user(Role.COORDINATOR, organization=organizations[org], portal_access=access)
        for org in ("parent", "child_own", "open")
        for access in PortalAccess.values
    ]
    primary = make_user(Role.COORDINATOR, organization=organizations["child_own"])
    organizations["child_own"].primary_contact = primary
    organizations["child_own"].save()
    people += [primary, make_user(Role.ORDERS_MANAGER), make_user()]
    orders = [
        OrderFactory(organization=organization, submitted_by=person)
        for organization in organizations.values()
        for person in (people[0], people[4], people[-4], people[-1])
    ]
    seen = 0
    for person in people:
        listed = set(orders_for_portal(user=person).values_list("number", flat=True))
        for order in orders:
            found = order_get_for_portal(user=person, number=order.number)
            assert (found is not None) == (order.number in listed), (person, order)
            seen += found is not None
    assert 0 < seen < len(people) * len(orders)  # some orders are seen, not all
