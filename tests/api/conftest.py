"""API test fixtures: a JSON client that authenticates with a real API key."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from api.services import api_key_create
from orders.services import order_queues_ensure_defaults
from scheduling.models import ScheduleSlot
from tests.accounts.factories import OrganizationFactory
from tests.orders.conftest import (  # noqa: F401
    directory,
    end_user,
    hardware,
    queues,
    request_queue,
    technician,
)
from tests.orders.factories import OrderFactory
from tests.refresh.conftest import admin, approver, flow, make_slot, manager, team  # noqa: F401
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory


def key_client(user) -> APIClient:
    """A client whose every request carries a fresh API key of ``user``."""
    _, token = api_key_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api_as():
    return key_client


@pytest.fixture
def world(db, make_user, support_team, settings, tmp_path):
    """One of everything the endpoints read, and a person of each role."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from orders.choices import MessageKind
    from orders.services import order_message_post, request_type_save
    from refresh.services import batch_create, ticket_create

    settings.MEDIA_ROOT = str(tmp_path / "media")

    org, other_org = OrganizationFactory(), OrganizationFactory()
    people = {
        "coordinator": make_user(Role.COORDINATOR, organization=org),
        "other_org_coordinator": make_user(Role.COORDINATOR, organization=other_org),
        "refresh_manager": make_user(Role.REFRESH_MANAGER, is_staff=True),
        "refresh_admin": make_user(Role.REFRESH_ADMINISTRATOR, is_staff=True),
        "orders_technician": make_user(Role.ORDERS_TECHNICIAN, is_staff=True),
        "orders_manager": make_user(Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN, is_staff=True),
        "approver": make_user(Role.APPROVER),
        "no_role": make_user(),
    }
    order_queues_ensure_defaults(team=[people["orders_technician"]])
    config = RefreshConfigFactory(support_team=support_team)
    ticket = ticket_create(system=SystemFactory(), config=config, actor=people["refresh_admin"])
    order = OrderFactory(organization=org, submitted_by=people["coordinator"])
    request_type = request_type_save(
        data={"name": "Lab access", "all_organizations": False}, organizations=[org]
    )
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    slot = ScheduleSlot.objects.create(
        team=support_team, start=start, end=start + dt.timedelta(hours=1), capacity=2
    )

    class World:
        pass

    world = World()
    world.people, world.org, world.other_org = people, org, other_org
    world.config, world.ticket, world.order, world.slot = config, ticket, order, slot
    world.system = ticket.existing_system
    world.request_type = request_type
    world.stock = StockSystemFactory()
    # One attachment the coordinator sees (a reply) and one only staff see (internal).
    world.attachment, world.internal_attachment = (
        order_message_post(
            order=order,
            author=people["orders_technician"],
            kind=kind,
            body="See the file.",
            files=[SimpleUploadedFile(name, b"hello", content_type="text/plain")],
        ).attachments.get()
        for kind, name in (
            (MessageKind.REPLY, "quote.txt"),
            (MessageKind.INTERNAL_COMMENT, "internal.txt"),
        )
    )
    world.batch = batch_create(
        name="Spring", config=config, serials_text="X1", actor=people["refresh_admin"]
    )
    return world
