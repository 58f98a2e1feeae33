import factory
from factory.django import DjangoModelFactory

from orders.choices import OrderType
from orders.models import InstallableSoftware, Order
from orders.services import order_number_allocate
from tests.accounts.factories import OrganizationFactory, UserFactory


class InstallableSoftwareFactory(DjangoModelFactory):
    class Meta:
        model = InstallableSoftware

    name = factory.Sequence(lambda n: f"Software title {n}")
    vendor = "Example Vendor"


class OrderFactory(DjangoModelFactory):
    """A draft email-only order (smallest valid order)."""

    class Meta:
        model = Order

    number = factory.LazyFunction(order_number_allocate)
    order_type = OrderType.EMAIL_ONLY
    organization = factory.SubFactory(OrganizationFactory)
    submitted_by = factory.SubFactory(UserFactory)
    new_full_name = factory.Faker("name")
    new_username = factory.Sequence(lambda n: f"user{n:03d}")
    new_email = factory.Sequence(lambda n: f"new{n}@example.edu")
