"""Every email template of the project, rendered with realistic data, reads as prose.

The emails are produced the way the app produces them where that is cheap (the
orders notify services, the refresh jobs' ``email_context``), with every
variable a template names made loud: an undefined variable renders as
``«MISSING name»``. A rendered email fails on a Python repr
(``[<InstallableSoftware: …>]``), the word "None", a missing variable or an
empty placeholder ("for .", "()", "Hello ,"). A template without a case here
fails too, so a new email can't ship untested.
"""

import copy
import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from notifications.models import OutboundEmail
from notifications.services import render_email
from orders.choices import MessageKind, OrderStatus, OrderType
from orders.services import order_message_post
from orders.services.notify import (
    order_appointment_booked_notify,
    order_completed_notify,
    order_confirmation_send,
    order_enduser_link_send,
)
from refresh.choices import RefreshStyle
from refresh.services import ticket_create
from refresh.services.jobs._common import email_context
from scheduling.models import Booking, ScheduleSlot
from scheduling.services import booking_create
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.orders.factories import InstallableSoftwareFactory, OrderFactory
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

MISSING = "«MISSING %s»"

BAD = [
    (re.compile(r"<[A-Za-z_][\w.]*: |<[\w.]+ object at |\[<|&lt;[A-Za-z_][\w.]*: "), "a repr"),
    (re.compile(r"\bNone\b"), '"None"'),
    (re.compile(r"«MISSING"), "an undefined variable"),
    (re.compile(r"\(\s*\)|\[\s*\]"), "an empty placeholder"),
    (re.compile(r"[^\S\n][,.;:!?](?=\s|$)", re.M), "an empty placeholder before punctuation"),
    (re.compile(r"\w[^\S\n]{2,}\w"), "an empty placeholder between words"),
]


def _email_templates() -> set[str]:
    names = set()
    for directory in [*settings.TEMPLATES[0]["DIRS"], *_app_template_dirs()]:
        for path in Path(directory, "notifications", "email").glob("*.subject.txt"):
            names.add(path.name.removesuffix(".subject.txt"))
    return names


def _app_template_dirs():
    from django.apps import apps

    return [Path(app.path, "templates") for app in apps.get_app_configs()]


def _loud_templates():
    loud = copy.deepcopy(settings.TEMPLATES)
    for engine in loud:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = MISSING
    return loud


def problems(text: str) -> list[str]:
    return [
        f"{label}: …{text[max(0, m.start() - 40) : m.end() + 40]!r}…"
        for pattern, label in BAD
        for m in pattern.finditer(text)
    ]


def _visible_html(html: str) -> str:
    """The words a reader sees: blocks on their own lines, inline tags dropped."""
    body = re.sub(r"<(style|title)\b.*?</\1>", "", html, flags=re.S)
    body = re.sub(r"</?(p|br|td|tr|table|li|ul|div|blockquote|h\d)\b[^>]*>", "\n", body)
    body = unescape(re.sub(r"<[^>]+>", "", body))
    return "\n".join(" ".join(line.split()) for line in body.splitlines() if line.strip())


@pytest.fixture
def people(make_user, organization):
    return {
        "coordinator": make_user(
            Role.COORDINATOR, organization=organization, full_name="Morgan Lee"
        ),
        "staff": make_user(
            Role.ORDERS_TECHNICIAN, is_staff=True, full_name="Riley Chen", email="riley@it.edu"
        ),
        "end_user": make_user(organization=organization, full_name="Avery Garcia"),
    }


def _order_emails(people, organization):
    acrobat = InstallableSoftwareFactory(name="Adobe Acrobat Pro")
    endnote = InstallableSoftwareFactory(name="EndNote")
    base = {"organization": organization, "submitted_by": people["coordinator"]}
    install = OrderFactory(
        **base,
        number=77820,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.SUBMITTED,
        existing_user=people["end_user"],
        workstation="MED-WX08",
    )
    install.software.set([acrobat, endnote])
    email_only = OrderFactory(
        **base, status=OrderStatus.SUBMITTED, new_full_name="Jamie Park", new_username="jpark"
    )
    draft = OrderFactory(**base, new_full_name="Sam Ortiz")
    order_confirmation_send(order=install, key="t-confirm-install")
    order_confirmation_send(order=email_only, key="t-confirm-email")
    order_enduser_link_send(order=install, key="t-enduser")
    _order_links(install, draft, people["staff"])
    order_completed_notify(order=install)
    install.owner = people["staff"]
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    slot = ScheduleSlot.objects.create(
        team=SupportTeamFactory(name="Orders Technicians"),
        start=start,
        end=start + dt.timedelta(hours=1),
        capacity=1,
        location_note="Room 210, Medical Science I",
    )
    booking = booking_create(slot_id=slot.pk, booked_object=install)
    order_appointment_booked_notify(order=install, booking=booking, key="t-booked")
    _appointment_moved_and_cancelled(install, slot, people["staff"])
    first = order_message_post(
        order=install, author=people["staff"], kind=MessageKind.REPLY, body="We start Monday."
    )
    order_message_post(
        order=install,
        author=people["staff"],
        kind=MessageKind.FOLLOW_UP,
        body="Check the licence.",
        quoted=first,
        assigned_to=UserFactory(roles=[Role.ORDERS_TECHNICIAN], full_name="Dana Fox"),
    )
    # Addressed with To, CC and a subject (the compose form's fields).
    order_message_post(
        order=install,
        author=people["staff"],
        kind=MessageKind.REPLY,
        body="The licences arrived.",
        to=[people["coordinator"].email],
        cc=["riley@it.edu", "dean@med.example.edu"],
        subject="[Order 77820] Install software for Avery Garcia",
    )
    return install


def _order_links(install, draft, staff):
    """Send Order Link for a submitted order (from me) and a draft (from the IT desk)."""
    from orders.services.links import order_link_send

    order_link_send(order=install, actor=staff, sender="me")
    order_link_send(order=draft, actor=staff, sender="it")


def _appointment_moved_and_cancelled(install, slot, staff):
    """Staff move the install's appointment, then cancel it (orders_appointment_changed)."""
    from orders.services.appointments import order_appointment_cancel, order_appointment_move

    later = ScheduleSlot.objects.create(
        team=slot.team,
        start=slot.start + dt.timedelta(days=1),
        end=slot.end + dt.timedelta(days=1),
        capacity=1,
        location_note="Room 114, Medical Science II",
    )
    order_appointment_move(order=install, actor=staff, slot_id=later.pk)
    order_appointment_cancel(order=install, actor=staff, reason="The licence has not arrived.")


def _refresh_contexts(people):
    team = SupportTeamFactory(name="Medical IT", email="medit@example.edu")
    config = RefreshConfigFactory(
        name="Medicine 2026",
        style=RefreshStyle.USER_SPECIFIED_LOCATION,
        unit_specified_location="Room 210, Medical Science I",
        support_team=team,
    )
    ticket = ticket_create(
        system=SystemFactory(current_user=people["end_user"]),
        config=config,
        actor=people["staff"],
        replacement_system=StockSystemFactory(),
    )
    type(ticket).objects.filter(pk=ticket.pk).update(
        deadline_at=timezone.now() + dt.timedelta(days=14),
        tracking_number="1Z999AA10123456784",
        itsm_ticket_id="5521",
        ship_to_name="Avery Garcia",
        ship_street="1 Elm St",
        ship_city="Ann Arbor",
        ship_state="MI",
        ship_zip="48104",
    )
    ticket.refresh_from_db()
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    slot = ScheduleSlot.objects.create(
        team=team, start=start, end=start + dt.timedelta(hours=1), capacity=2
    )
    booking = Booking(slot=slot)
    approver = UserFactory(full_name="Quinn Adams")
    link = f"{settings.SITE_URL}/refresh/c/token/"
    ctx = email_context(ticket, link=link)
    booked = email_context(ticket, booking=booking, location="Room 210", link=link)
    return {
        "refresh_job_invite": ctx,
        "refresh_job_reminder": email_context(ticket, which=2, link=link),
        "refresh_job_pick_slot": email_context(ticket, rescheduling=True, link=link),
        "refresh_job_submitted": email_context(ticket, needs_approval=True),
        "refresh_job_tracking": email_context(
            ticket,
            replacement=ticket.replacement_system,
            tracking_url=ticket.tracking_url,
            carrier="UPS",
            previous_number="1Z999AA10000000001",
        ),
        "refresh_job_mac_engineering": ctx,
        "refresh_job_booked": booked,
        "refresh_job_new_appointment": booked,
        "refresh_job_approval_needed": {
            "ticket": ticket,
            "approver": approver,
            "user_name": ctx["user_name"],
            "link": link,
        },
        "refresh_job_appointment_reminder": email_context(
            ticket,
            booking=booking,
            prepare="Back up the files on your desktop and have your password ready.",
            link=link,
        ),
        "refresh_job_digest": {
            "approver": approver,
            "configs": [
                {
                    "name": config.name,
                    "groups": [
                        {
                            "label": "Pending approval",
                            "tickets": [
                                {
                                    "number": ticket.number,
                                    "customer": ctx["user_name"],
                                    "system": ticket.existing_system.serial_number,
                                    "days": 3,
                                    "link": f"{link}edit/",
                                }
                            ],
                        }
                    ],
                }
            ],
            "awaiting": 1,
            "link": link,
        },
    }


def _report_context():
    """The saved-view report (reports/services.py) of a small refresh list."""
    from reports.models import SavedView

    owner = UserFactory(full_name="Riley Chen")
    saved_view = SavedView.objects.create(
        name="Stuck in ordering", list_name="tickets", query="status=pending_ordering", owner=owner
    )
    return {
        "saved_view": saved_view,
        "list_title": "Refresh tickets",
        "day": timezone.localdate(),
        "total": 2,
        "columns": ["Ticket", "System", "Status"],
        "rows": [
            ["RT-00012", "C02X1", "Pending ordering"],
            ["RT-00013", "C02X2", "Pending ordering"],
        ],
        "shown": 2,
        "page_path": "/refresh/?status=pending_ordering",
        "unsubscribe_path": "/reports/unsubscribe/token/",
    }


def _account_team_context(organization):
    """Issue 13: an account team is told of a new request (orders/services/account_teams.py)."""
    from orders.models import OrderQueue

    queue = OrderQueue.objects.create(name="Hardware desk", order_type=OrderType.REQUEST)
    order = OrderFactory(organization=organization, queue=queue, status=OrderStatus.SUBMITTED)
    return {
        "order": order,
        "kind": "Hardware problem",
        "organization": organization.name,
        "owner": "Taylor Tech",
        "order_url": f"https://handover.example.edu/orders/staff/{order.number}/",
    }


def test_every_email_template_renders_prose(
    people, organization, django_capture_on_commit_callbacks
):
    rendered: dict[str, list[tuple[str, str, str]]] = {}
    with override_settings(TEMPLATES=_loud_templates()):
        _order_emails(people, organization)
        for email in OutboundEmail.objects.order_by("pk"):
            rendered.setdefault(email.template, []).append(
                (email.subject, email.body_text, email.body_html)
            )
        for template, context in {
            **_refresh_contexts(people),
            "reports_report": _report_context(),
            "orders_account_team_new_request": _account_team_context(organization),
        }.items():
            rendered.setdefault(template, []).append(
                render_email(template=template, context=context)
            )

    assert set(rendered) == _email_templates(), "every email template needs a case here"
    failures = []
    for template, emails in sorted(rendered.items()):
        for subject, text, html in emails:
            for part, body in (("subject", subject), ("text", text), ("html", _visible_html(html))):
                failures += [f"{template} {part}: {p}" for p in problems(body)]
    assert not failures, "\n".join(failures)


def test_software_reads_as_a_sentence(people, organization):
    install = _order_emails(people, organization)
    email = OutboundEmail.objects.get(template="orders_enduser_link", related_id=install.pk)
    assert "IT will install Adobe Acrobat Pro and EndNote on your computer MED-WX08" in (
        email.body_text
    )
    assert "Adobe Acrobat Pro and EndNote" in email.body_html


@pytest.mark.parametrize(
    "text",
    [
        "IT will install [<InstallableSoftware: Adobe Acrobat Pro>] on MED-1",
        "Hello None,",
        "Hello ,",
        "for  on Monday",
        "Order () is ready",
    ],
)
def test_the_check_catches_what_it_claims(text):
    assert problems(text)
