"""Demo data of request types (issue 13): two staff-defined types, requests of them,
an account team, assignment rules and logged time. Idempotent; called by ``demo.seed``."""

from __future__ import annotations

from accounts.choices import PortalAccess, PortalVisibility
from accounts.models import Organization, User
from accounts.roles import Role
from accounts.services import (
    organization_get_or_create,
    organization_portal_options_set,
    user_create,
)
from orders.choices import OrderType
from orders.models import AssignmentRule, Order, OrderQueue, RequestType, TimeEntry
from orders.request_choices import AssignmentRuleKind, FieldKind
from orders.services import (
    custom_field_add,
    request_save,
    request_type_save,
    time_entry_log,
)

HARDWARE_FIELDS = [
    {"label": "Device", "kind": FieldKind.PERSON, "help_text": "Whose device it is."},
    {
        "label": "Urgency",
        "kind": FieldKind.CHOICE,
        "choices": ["Low", "Normal", "High — I cannot work"],
        "required": True,
    },
    {"label": "Photo", "kind": FieldKind.FILE, "help_text": "A photo of the problem, if it shows."},
]


def _type(name: str, description: str, icon: str, colour: str, queue, fields) -> RequestType:
    request_type = RequestType.objects.filter(name=name).first()
    if request_type is None:
        request_type = request_type_save(
            data={
                "name": name,
                "description": description,
                "icon": icon,
                "colour": colour,
                "queue": queue,
            }
        )
        made = {}
        for spec in fields:
            spec = dict(spec)
            when = spec.pop("show_when_key", None)
            if when:
                spec["show_when"] = made[when]
            field = custom_field_add(request_type=request_type, data=spec)
            made[field.key] = field
    return request_type


# An organization with open visibility and a contact at each access level.
MUSIC = "School of Music"
CONTACTS = [
    ("music.none@example.edu", "Nadia None", PortalAccess.NONE),
    ("music.own@example.edu", "Oscar Own", PortalAccess.OWN),
    ("music.org@example.edu", "Olga Organization", PortalAccess.ORGANIZATION),
    ("music.subs@example.edu", "Sid Subs", PortalAccess.ORGANIZATION_SUBS),
]


def _access_levels_demo() -> list[str]:
    music = organization_get_or_create(name=MUSIC)
    organization_portal_options_set(
        organization=music,
        portal_visibility=PortalVisibility.ALL,
        default_portal_access=PortalAccess.OWN,
    )
    for email, name, access in CONTACTS:
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                full_name=name,
                organization=music,
                roles=[Role.COORDINATOR],
                portal_access=access,
            )
    return [
        f"  {MUSIC}: open visibility; contacts at each access level "
        + ", ".join(f"{email} ({access.label})" for email, _, access in CONTACTS)
    ]


def seed(*, out) -> list[str]:
    del out
    technician = User.objects.filter(email="tech@example.edu").first()
    manager = User.objects.filter(email="orders.manager@example.edu").first()
    queue, _ = OrderQueue.objects.get_or_create(
        name="General requests",
        defaults={"order_type": OrderType.REQUEST, "description": "Staff-defined request types."},
    )
    if technician and not queue.team.exists():
        queue.team.add(technician)
    hardware = _type(
        "Hardware problem",
        "Something on your desk is broken or misbehaves.",
        "hardware",
        "orange",
        queue,
        HARDWARE_FIELDS,
    )
    website = _type(
        "Website change",
        "A change to a page of your department's website.",
        "web",
        "green",
        queue,
        [
            {"label": "Page address", "kind": FieldKind.URL, "required": True},
            {"label": "New page", "kind": FieldKind.YES_NO, "required": True},
            {
                "label": "Page title",
                "kind": FieldKind.TEXT,
                "required": True,
                "show_when_key": "new_page",
                "show_when_value": "yes",
            },
        ],
    )
    medicine = Organization.objects.filter(name="School of Medicine").first()
    coordinator = User.objects.filter(email="coordinator@med.example.edu").first()
    lines = [
        "Request types: Hardware problem, Website change (staff page /orders/staff/request-types/)"
    ]
    if medicine is None or coordinator is None:
        return lines
    if technician:
        organization_portal_options_set(organization=medicine, account_team=[technician])
    lines += _access_levels_demo()
    if manager and not AssignmentRule.objects.filter(request_type=hardware).exists():
        AssignmentRule.objects.create(
            request_type=hardware,
            position=1,
            kind=AssignmentRuleKind.FIELD_VALUE,
            field=hardware.fields.get(key="urgency"),
            field_value="High — I cannot work",
            assignee=manager,
        )
        AssignmentRule.objects.create(
            request_type=hardware, position=2, kind=AssignmentRuleKind.ACCOUNT_TEAM
        )
    if not Order.objects.filter(request_type=website).exists():
        request_save(
            request_type=website,
            organization=medicine,
            author=coordinator,
            values={"page_address": "https://med.example.edu/contact", "new_page": "no"},
        )
    submitted = Order.objects.filter(request_type=hardware).first()
    if submitted is None:
        submitted = request_save(
            request_type=hardware,
            organization=medicine,
            author=coordinator,
            values={"urgency": "High — I cannot work"},
            notes="The screen flickers and goes dark.",
            submit=True,
        )
    if technician and not TimeEntry.objects.filter(order=submitted).exists():
        time_entry_log(order=submitted, person=technician, minutes=40, note="Swapped the cable.")
    lines.append(f"  request {submitted.number} Hardware problem, with logged time")
    return lines
