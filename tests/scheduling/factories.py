import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from scheduling.models import Booking, ClosureDay, ScheduleSlot, ScheduleSlotPreference
from tests.accounts.factories import SupportTeamFactory


class ScheduleSlotPreferenceFactory(DjangoModelFactory):
    class Meta:
        model = ScheduleSlotPreference

    team = factory.SubFactory(SupportTeamFactory)
    weekday = 0
    start_time = dt.time(9, 0)
    duration_minutes = 60
    capacity = 2


class ScheduleSlotFactory(DjangoModelFactory):
    """A one-off slot tomorrow at 09:00 local time, capacity 2."""

    class Meta:
        model = ScheduleSlot

    team = factory.SubFactory(SupportTeamFactory)
    start = factory.LazyFunction(
        lambda: timezone.make_aware(
            dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(9, 0))
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))
    capacity = 2


class ClosureDayFactory(DjangoModelFactory):
    class Meta:
        model = ClosureDay

    date = dt.date(2026, 12, 28)
    name = "Winter season day"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, so the cached business calendar sees it.
        from scheduling.services import closure_day_set

        return closure_day_set(**kwargs)


class BookingFactory(DjangoModelFactory):
    """A booking without the slot's count bump; use booking_create in behaviour tests."""

    class Meta:
        model = Booking

    slot = factory.SubFactory(ScheduleSlotFactory)
    booked_object = factory.SubFactory(SupportTeamFactory)
