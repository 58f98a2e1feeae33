import factory
from factory.django import DjangoModelFactory

from accounts.models import Organization, OrganizationDomain, SupportTeam, User
from accounts.services import user_set_roles

PASSWORD = "correct horse battery staple"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


class OrganizationDomainFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationDomain

    organization = factory.SubFactory(OrganizationFactory)
    domain = factory.Sequence(lambda n: f"unit{n}.example.edu")


class SupportTeamFactory(DjangoModelFactory):
    class Meta:
        model = SupportTeam

    name = factory.Sequence(lambda n: f"Support team {n}")
    email = factory.Sequence(lambda n: f"team{n}@example.edu")
    slack_channel = factory.Sequence(lambda n: f"#team-{n}")


class UserFactory(DjangoModelFactory):
    """A user with a known password; ``roles=[Role.X]`` puts them in role groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.edu")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            user_set_roles(user=self, roles=extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])
