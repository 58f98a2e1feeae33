"""What the load scenario's simulated people need, made over seeded rows.

``load_data_write(path, tag=...)`` writes a JSON file for benchmarks/locustfile.py:

* ``staff``: session cookies of staff members who work refresh tickets and orders
  and approve the seeded config's tickets;
* ``coordinators``: session cookies of the organization's coordinators;
* ``wizard_links``: emailed wizard links of customers waiting on the wizard;
* ``slot_links``: emailed slot-picking links of customers whose support team has
  free day-1 slots (made here: the seed makes no slots);
* ``order_steps``: (order number, step id) of open orders waiting on a manual step;
* ``approvals``: tickets waiting for approval; ``holds``: tickets waiting for a
  replacement, which staff put on hold and resume;
* ``orders`` and ``tickets``: records to open.

Each work item is used once by one simulated person, so every action is one a
real person could take at that moment.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db.models import Min
from django.test import Client

from accounts.models import SupportTeam, User
from accounts.roles import Role
from accounts.services import user_set_roles
from accounts.sessions import MFA_ENROL
from notifications.links import access_link_issue
from orders.choices import ActionKind, ActionStatus, OrderStatus
from orders.models import Order, OrderAction
from refresh.choices import TicketStatus
from refresh.customer.links import PICK_SLOT, WIZARD
from refresh.models import RefreshConfig, RefreshTicket
from scheduling.models import ScheduleSlot
from scheduling.selectors import bookable_window

STAFF_ROLES = [
    Role.REFRESH_ADMINISTRATOR,
    Role.ORDERS_MANAGER,
    Role.ORDERS_TECHNICIAN,
    Role.APPROVER,
]
WORK_ITEMS = 1500  # of each kind: more than 100 users take in a few minutes


def _session(user) -> str:
    """A signed-in session, as after the institution's sign-on with its second
    factor: staff are not held at the enrolment page (accounts.sessions)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session.pop(MFA_ENROL, None)
    session.save()
    return session.session_key


def _people(roles, count: int, prefix: str, **fields) -> list[User]:
    people = []
    for i in range(count):
        person = User.objects.create_user(
            email=f"{prefix}{i}@example.edu", full_name=f"Load {prefix} {i}", **fields
        )
        user_set_roles(user=person, roles=roles)
        people.append(person)
    return people


def _links(tickets, purpose: str) -> list[str]:
    return [
        f"/refresh/c/{access_link_issue(target=t, purpose=purpose, email='c@example.edu').token}/"
        for t in tickets
    ]


def _open_slots(teams) -> int:
    """Day-1 slots for ``teams`` on every weekday of the bookable window:
    four a day of ten places each, so bookings never run out."""
    start, end = bookable_window()
    slots = []
    day = start
    while day < end:
        if day.weekday() < 5:
            for hour in (9, 11, 13, 15):
                at = day + dt.timedelta(hours=hour)
                slots += [
                    ScheduleSlot(team=team, start=at, end=at + dt.timedelta(hours=1), capacity=10)
                    for team in teams
                ]
        day += dt.timedelta(days=1)
    ScheduleSlot.objects.bulk_create(slots)
    return len(slots)


def load_data_write(path: Path, *, tag: str, staff: int = 10, coordinators: int = 20) -> dict:
    """Write the scenario's file for the rows of seed tag ``tag``; returns its counts."""
    config = RefreshConfig.objects.get(name=f"Scale {tag} config")
    teams = list(SupportTeam.objects.filter(name__startswith=f"Scale {tag} team"))
    tickets = RefreshTicket.objects.filter(config=config).order_by("-pk")
    orders = Order.objects.filter(queue__name=f"Scale {tag} queue")
    staff_people = _people(STAFF_ROLES, staff, "ld.s")
    config.approvers.add(*staff_people)
    coordinator_people = _people(
        [Role.COORDINATOR], coordinators, "ld.c", organization=config.organization
    )
    _open_slots(teams)
    waiting_step = (
        OrderAction.objects.filter(
            order__in=orders.filter(status__in=[OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS]),
            status=ActionStatus.PENDING,
            kind=ActionKind.MANUAL,
        )
        .values("order__number")
        .annotate(first=Min("position"))
        .order_by("-order__number")[:WORK_ITEMS]
    )
    steps = {
        (row["order__number"], row["first"]): None for row in waiting_step
    }  # (number, position) -> step id
    for number, position, pk in OrderAction.objects.filter(
        order__number__in=[n for n, _ in steps]
    ).values_list("order__number", "position", "pk"):
        if (number, position) in steps:
            steps[number, position] = pk
    data = {
        "staff": [_session(p) for p in staff_people],
        "coordinators": [_session(p) for p in coordinator_people],
        "wizard_links": _links(
            tickets.filter(status=TicketStatus.PENDING_CUSTOMER)[:WORK_ITEMS], WIZARD
        ),
        "slot_links": _links(
            tickets.filter(status=TicketStatus.PENDING_CUSTOMER_SCHEDULING, support_team__in=teams)[
                :WORK_ITEMS
            ],
            PICK_SLOT,
        ),
        "order_steps": [[number, pk] for (number, _), pk in steps.items()],
        "approvals": list(
            tickets.filter(status=TicketStatus.PENDING_APPROVAL).values_list("pk", flat=True)[
                :WORK_ITEMS
            ]
        ),
        "holds": list(
            tickets.filter(status=TicketStatus.PENDING_ORDERING).values_list("pk", flat=True)[
                :WORK_ITEMS
            ]
        ),
        "orders": list(orders.order_by("-pk").values_list("number", flat=True)[:500]),
        "tickets": list(tickets.values_list("pk", flat=True)[:500]),
    }
    Path(path).write_text(json.dumps(data))
    return {key: len(value) for key, value in data.items()}
