"""Demo orders: default queues, a software catalog and orders in every status.

Everything goes through the services (drafts, submission, automation, manual
actions, hold, cancel), so audits, actions and emails look like real use.
Idempotent: an order is keyed by its organization and its username/workstation.
"""

from accounts.models import Organization, SupportTeam, User
from accounts.services import user_create
from orders.choices import ActionKind, ActionStatus, OrderType
from orders.models import InstallableSoftware, Order
from orders.services import (
    order_action_process,
    order_actions_advance,
    order_cancel,
    order_create_draft,
    order_hold,
    order_queues_ensure_defaults,
    order_submit,
)

SOFTWARE = [
    ("MATLAB", "MathWorks"),
    ("Adobe Acrobat Pro", "Adobe"),
    ("SPSS Statistics", "IBM"),
    ("EndNote", "Clarivate"),
    ("ArcGIS Pro", "Esri"),
    ("Zoom Workplace", "Zoom"),
]

END_USERS = [
    ("pat.kim@med.example.edu", "Pat Kim", "School of Medicine"),
    ("lee.huang@med.example.edu", "Lee Huang", "School of Medicine"),
    ("sam.ortiz@med.example.edu", "Sam Ortiz", "School of Medicine"),
    ("robin.diaz@cardio.med.example.edu", "Robin Diaz", "Cardiology"),
    ("alex.moore@med.example.edu", "Alex Moore", "School of Medicine"),
]

# key, organization, coordinator, type, data, target state
ORDERS = [
    (
        "draft",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.EMAIL_ONLY,
        {"new_full_name": "Dana Lee", "new_username": "dlee", "new_email": "dlee@med.example.edu"},
        "draft",
    ),
    (
        "submitted",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.EMAIL_ONLY,
        {
            "new_full_name": "Maria Garcia",
            "new_username": "mgarcia",
            "new_email": "mgarcia@med.example.edu",
            "distribution_groups": ["med-staff"],
            "shared_mailboxes": ["frontdesk@med.example.edu"],
        },
        "submitted",
    ),
    (
        "in_progress",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.INSTALL_SOFTWARE,
        {
            "existing_user": "pat.kim@med.example.edu",
            "workstation": "MED-WX21",
            "software": ["MATLAB", "EndNote"],
        },
        "in_progress",
    ),
    (
        "on_hold",
        "Cardiology",
        "coordinator@cardio.med.example.edu",
        OrderType.INSTALL_SOFTWARE,
        {
            "existing_user": "robin.diaz@cardio.med.example.edu",
            "workstation": "CARD-WX03",
            "software": ["SPSS Statistics"],
        },
        "on_hold",
    ),
    (
        "completed",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.INSTALL_SOFTWARE,
        {
            "existing_user": "lee.huang@med.example.edu",
            "workstation": "MED-WX08",
            "software": ["Adobe Acrobat Pro"],
        },
        "completed",
    ),
    (
        "cancelled",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.EMAIL_ONLY,
        {
            "new_full_name": "Chris Temp",
            "new_username": "ctemp",
            "new_email": "ctemp@med.example.edu",
        },
        "cancelled",
    ),
    (
        "future_replacement",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.DEACTIVATE_FUTURE_REPLACEMENT,
        {"existing_user": "sam.ortiz@med.example.edu", "workstation": "WX14"},
        "run",
    ),
    (
        "replacement_draft",
        "School of Medicine",
        "coordinator@med.example.edu",
        OrderType.DEACTIVATE_REPLACEMENT_NOW,
        {
            "existing_user": "alex.moore@med.example.edu",
            "workstation": "MED-WX30",
            "new_full_name": "Jamie Rivera",
            "new_username": "jrivera",
            "new_email": "jrivera@med.example.edu",
            "preferences": "Printer MED-3F-01",
        },
        "draft",
    ),
    (
        "engineering_draft",
        "College of Engineering",
        "coordinator@engin.example.edu",
        OrderType.EMAIL_ONLY,
        {
            "new_full_name": "Quinn Park",
            "new_username": "qpark",
            "new_email": "qpark@engin.example.edu",
        },
        "draft",
    ),
]


def _existing(org, data) -> Order | None:
    qs = Order.objects.filter(organization=org)
    if data.get("new_username"):
        return qs.filter(new_username=data["new_username"]).first()
    return qs.filter(workstation=data["workstation"]).first()


def _resolve(data: dict) -> dict:
    data = dict(data)
    if "existing_user" in data:
        data["existing_user"] = User.objects.get(email=data["existing_user"])
    if "software" in data:
        data["software"] = list(InstallableSoftware.objects.filter(name__in=data["software"]))
    return data


def _process_manual(order: Order, actor) -> None:
    action = order.actions.filter(kind=ActionKind.MANUAL, status=ActionStatus.PENDING).first()
    if action is not None:
        order_action_process(action=action, actor=actor, note="Done at the appointment.")


def seed(*, out) -> list[str]:
    for name, vendor in SOFTWARE:
        InstallableSoftware.objects.get_or_create(name=name, defaults={"vendor": vendor})
    team = SupportTeam.objects.filter(name="Orders Technicians").first()
    members = list(team.members.all()) if team else []
    order_queues_ensure_defaults(team=members)

    orgs = {org.name: org for org in Organization.objects.all()}
    for email, full_name, org_name in END_USERS:
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email, password=None, full_name=full_name, organization=orgs[org_name]
            )

    technician = User.objects.filter(email="tech@example.edu").first()
    manager = User.objects.filter(email="orders.manager@example.edu").first()
    lines = ["Orders (portal at /orders/, staff at /orders/staff/):"]
    for key, org_name, coordinator_email, order_type, raw, target in ORDERS:
        org = orgs.get(org_name)
        coordinator = User.objects.filter(email=coordinator_email).first()
        if org is None or coordinator is None:
            continue
        order = _existing(org, raw)
        if order is None:
            order = order_create_draft(
                order_type=order_type,
                organization=org,
                submitted_by=coordinator,
                data=_resolve(raw),
            )
            if target != "draft":
                order_submit(order=order, actor=coordinator)
            if target in ("in_progress", "on_hold", "completed", "run"):
                order_actions_advance(order_id=order.pk)
            if target == "completed" and technician:
                _process_manual(Order.objects.get(pk=order.pk), technician)
            if target == "on_hold" and manager:
                order_hold(order=order, actor=manager, note="Waiting for the license key.")
            if target == "cancelled" and manager:
                order_cancel(order=order, actor=manager, note="The new hire withdrew.")
            order.refresh_from_db()
        lines.append(
            f"  order {order.number:<6} {order.get_order_type_display():<36} "
            f"{order.get_status_display():<12} ({key}, {org_name})"
        )
    lines += _book_appointment(orgs.get("School of Medicine"), team)
    lines += _canned_responses()
    from orders.demo_requests import seed as seed_request_types

    lines += seed_request_types(out=out)
    return lines


CANNED_RESPONSES = [
    (
        "Account ready",
        "email_only",
        "Account for {customer_name} is ready",
        "Hello {coordinator_name},\n\nThe account of {customer_name} (order {order_number}) "
        "is ready. The set-password link went to you in the confirmation.\n\n{my_name}",
    ),
    (
        "Need more information",
        "",
        "A question about order {order_number}",
        "Hello {coordinator_name},\n\nTo go on with order {order_number} ({order_type}) we "
        "need one more detail: \n\nThank you,\n{my_name}",
    ),
    (
        "Visit booked",
        "install_software",
        "Visit booked for {customer_name}",
        "Hello {coordinator_name},\n\nThe install visit for {customer_name} is booked; "
        "{owner_name} will come by.\n\n{my_name}",
    ),
]


def _canned_responses() -> list[str]:
    """Reply templates for the order page's Template picker (kept in the admin)."""
    from orders.models import CannedResponse

    for name, order_type, subject, body in CANNED_RESPONSES:
        CannedResponse.objects.get_or_create(
            name=name, defaults={"order_type": order_type, "subject": subject, "body": body}
        )
    return [f"  {len(CANNED_RESPONSES)} canned responses for replies (admin: Canned responses)"]


def _book_appointment(org, team) -> list[str]:
    """The in-progress install's end user answered their link: a password and a visit,
    so the technician's "My appointments" and the order page show it."""
    from orders.services import enduser_link_submit
    from scheduling.selectors import booking_active_for, slots_bookable

    order = Order.objects.filter(
        organization=org, order_type=OrderType.INSTALL_SOFTWARE, workstation="MED-WX21"
    ).first()
    if order is None or team is None or order.status != "in_progress":
        return []
    booking = booking_active_for(obj=order)
    if booking is None:
        slot = slots_bookable(team=team).first()
        if slot is None:
            return []
        enduser_link_submit(order=order, password="demo-password-21", slot_id=slot.pk)
        booking = booking_active_for(obj=order)
    return [f"  order {order.number} appointment: {booking.slot.start:%a %b %d %H:%M}"]
