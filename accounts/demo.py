"""Demo organizations, support teams and one user of every role."""

from .models import IdpGroupRole, Organization, OrganizationDomain, SupportTeam, User
from .roles import Role
from .services import user_create, user_set_roles

DEMO_PASSWORD = "handover-demo"

ORGANIZATIONS = [
    # name, parent, domains, visibility
    ("School of Medicine", None, ["med.example.edu"], "organization"),
    ("Cardiology", "School of Medicine", ["cardio.med.example.edu"], "organization"),
    ("College of Engineering", None, ["engin.example.edu"], "own"),
]

TEAMS = [
    ("Desktop Support North", "desktop-north@example.edu", "#desktop-north"),
    ("Desktop Support South", "desktop-south@example.edu", "#desktop-south"),
    ("Orders Technicians", "orders-techs@example.edu", "#orders"),
]

# email, name, organization, roles, is_staff
PEOPLE = [
    ("admin@example.edu", "Ada Admin", None, [], True),
    (
        "coordinator@med.example.edu",
        "Carla Coordinator",
        "School of Medicine",
        [Role.COORDINATOR],
        False,
    ),
    ("coordinator@cardio.med.example.edu", "Casey Cardio", "Cardiology", [Role.COORDINATOR], False),
    (
        "coordinator@engin.example.edu",
        "Evan Engineer",
        "College of Engineering",
        [Role.COORDINATOR],
        False,
    ),
    ("approver@med.example.edu", "Alex Approver", "School of Medicine", [Role.APPROVER], False),
    ("refresh.admin@example.edu", "Riley Refresh-Admin", None, [Role.REFRESH_ADMINISTRATOR], True),
    ("refresh.manager@example.edu", "Morgan Field", None, [Role.REFRESH_MANAGER], True),
    (
        "slots@example.edu",
        "Sam Slots",
        None,
        [Role.SCHEDULE_SLOT_ADMIN, Role.REFRESH_MANAGER],
        True,
    ),
    ("tech@example.edu", "Taylor Tech", None, [Role.ORDERS_TECHNICIAN], True),
    (
        "orders.manager@example.edu",
        "Jordan Orders",
        None,
        [Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN],
        True,
    ),
]


def seed(*, out) -> list[str]:
    orgs: dict[str, Organization] = {}
    for name, parent, domains, visibility in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(
            name=name, defaults={"parent": orgs.get(parent), "portal_visibility": visibility}
        )
        orgs[name] = org
        for domain in domains:
            OrganizationDomain.objects.get_or_create(domain=domain, defaults={"organization": org})

    teams = {}
    for name, email, channel in TEAMS:
        teams[name], _ = SupportTeam.objects.get_or_create(
            name=name, defaults={"email": email, "slack_channel": channel}
        )

    lines = [f"Demo logins (password for every one: {DEMO_PASSWORD}):"]
    for email, full_name, org_name, roles, is_staff in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                organization=orgs.get(org_name),
                is_staff=is_staff,
            )
            if email == "admin@example.edu":
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        user_set_roles(user=user, roles=roles)
        label = "superuser" if user.is_superuser else ", ".join(r.label for r in roles)
        lines.append(f"  {email:<38} {label}")

    medicine = orgs["School of Medicine"]
    if medicine.primary_contact_id is None:
        medicine.primary_contact = User.objects.get(email="coordinator@med.example.edu")
        medicine.save(update_fields=["primary_contact"])
    field = User.objects.filter(email__in=["refresh.manager@example.edu", "slots@example.edu"])
    teams["Desktop Support North"].members.add(*field)
    teams["Orders Technicians"].members.add(
        *User.objects.filter(email__in=["tech@example.edu", "orders.manager@example.edu"])
    )
    # Example single sign-on group mappings (used once OIDC_*/SAML_* are set).
    for group, role in IDP_GROUPS:
        IdpGroupRole.objects.get_or_create(group=group, role=role)
    return lines


IDP_GROUPS = [
    ("handover-coordinators", Role.COORDINATOR),
    ("handover-approvers", Role.APPROVER),
    ("it-refresh-admins", Role.REFRESH_ADMINISTRATOR),
    ("it-field-staff", Role.REFRESH_MANAGER),
    ("it-team-leads", Role.SCHEDULE_SLOT_ADMIN),
    ("it-orders", Role.ORDERS_TECHNICIAN),
    ("it-orders-managers", Role.ORDERS_MANAGER),
]
