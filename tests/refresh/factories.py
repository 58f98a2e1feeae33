import factory
from factory.django import DjangoModelFactory

from refresh.choices import Platform, RefreshStyle, SystemStatus
from refresh.models import (
    HardwareModel,
    Peripheral,
    PeripheralBundle,
    RefreshConfig,
    SoftwareTitle,
    System,
)
from tests.accounts.factories import OrganizationFactory, UserFactory


class HardwareModelFactory(DjangoModelFactory):
    class Meta:
        model = HardwareModel

    manufacturer = "Dell"
    name = factory.Sequence(lambda n: f"Latitude {5000 + n}")
    platform = Platform.WINDOWS


class PeripheralFactory(DjangoModelFactory):
    class Meta:
        model = Peripheral

    name = factory.Sequence(lambda n: f"Monitor {n}")
    kind = "monitor"


class PeripheralBundleFactory(DjangoModelFactory):
    class Meta:
        model = PeripheralBundle

    name = factory.Sequence(lambda n: f"Bundle {n}")


class SoftwareTitleFactory(DjangoModelFactory):
    class Meta:
        model = SoftwareTitle

    name = factory.Sequence(lambda n: f"App {n}")
    vendor = "Vendor"


class SystemFactory(DjangoModelFactory):
    class Meta:
        model = System

    serial_number = factory.Sequence(lambda n: f"SN{n:06d}")
    name = factory.Sequence(lambda n: f"WS-{n:05d}")
    hardware_model = factory.SubFactory(HardwareModelFactory)
    platform = factory.LazyAttribute(lambda o: o.hardware_model.platform)
    current_user = factory.SubFactory(UserFactory)
    building = "Main Hall"
    room = factory.Sequence(lambda n: f"{100 + n}")
    status = SystemStatus.IN_USE


class StockSystemFactory(SystemFactory):
    current_user = None
    status = SystemStatus.IN_STOCK
    building = ""
    room = ""


class RefreshConfigFactory(DjangoModelFactory):
    class Meta:
        model = RefreshConfig
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Refresh config {n}")
    organization = factory.SubFactory(OrganizationFactory)
    style = RefreshStyle.ON_PREM

    @factory.post_generation
    def approved_models(self, create, extracted, **kwargs):
        if create:
            self.approved_models.set(extracted or [HardwareModelFactory()])

    @factory.post_generation
    def approvers(self, create, extracted, **kwargs):
        if create and extracted:
            self.approvers.set(extracted)
