"""The project's pages and a world to open them in, for the table-driven tests.

``project_url_names()`` walks the URL resolver; ``DemoWorld`` loads the demo
data (``seed_demo``, every app's ``demo.py``) inside the test's transaction and
knows, for every URL name, the arguments that point at one of its objects.
The permission table (tests/test_permissions_table.py) uses both.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role

# Django's admin: gated by is_staff and model permissions in Django itself; the
# table keeps one row for its index and does not list every generated page.
ADMIN_NAMESPACE = "admin"


def url_patterns_by_name() -> dict[str, URLPattern]:
    """Every named URL pattern of the URLconf by "namespace:name" (admin and API included)."""
    found: dict[str, URLPattern] = {}

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern, joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.setdefault(
                    f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern
                )

    walk(get_resolver(), None)
    return found


def project_url_names() -> set[str]:
    """Every named URL pattern of the project ("namespace:name"), admin pages excepted."""
    names = set(url_patterns_by_name())
    # The API's endpoints have their own table (tests/api/test_permissions.py,
    # every schema operation); its schema and documentation pages stay here.
    api_pages = {"api:schema", "api:docs", "api:redoc"}
    return {
        n
        for n in names
        if not n.startswith(f"{ADMIN_NAMESPACE}:") and (not n.startswith("api:") or n in api_pages)
    } | {"admin:index"}


# Columns of the permission table, in order.
WHO = (
    "anonymous",
    "coordinator",
    "other_coordinator",
    Role.APPROVER.value,
    Role.REFRESH_ADMINISTRATOR.value,
    Role.REFRESH_MANAGER.value,
    Role.SCHEDULE_SLOT_ADMIN.value,
    Role.ORDERS_TECHNICIAN.value,
    Role.ORDERS_MANAGER.value,
    "superuser",
)


@dataclass
class DemoWorld:
    """Demo data plus one person per column of the table."""

    people: dict[str, User | None] = field(default_factory=dict)
    args: dict[str, list] = field(default_factory=dict)

    @classmethod
    def build(cls) -> DemoWorld:
        from tests.accounts.factories import OrganizationFactory, UserFactory

        call_command("seed_demo", stdout=io.StringIO())
        world = cls()
        objects = _demo_objects()
        org = objects["order"].organization
        world.people["anonymous"] = None
        world.people["coordinator"] = UserFactory(roles=[Role.COORDINATOR], organization=org)
        world.people["other_coordinator"] = UserFactory(
            roles=[Role.COORDINATOR], organization=OrganizationFactory(name="Elsewhere")
        )
        for role in Role:
            if role is Role.COORDINATOR:
                continue
            world.people[role.value] = UserFactory(roles=[role], is_staff=role in STAFF_ROLES)
        world.people["superuser"] = UserFactory(is_superuser=True, is_staff=True)
        _add_what_the_demo_lacks(objects, world.people[Role.REFRESH_MANAGER.value])
        world.args = _url_args(objects)
        return world


def _demo_objects() -> dict:
    from api.models import ApiKey
    from common.models import Effect
    from integrations.models import StubITSMTicket
    from notifications.models import OutboundEmail
    from orders.models import Order, OrderAction, OrderAttachment, OrderITSMTicket, OrderQueue
    from refresh.models import RefreshBatch, RefreshConfig, RefreshTicket
    from reports.models import LifecyclePolicy, ReportSubscription, SavedView
    from scheduling.models import ScheduleSlot, ScheduleSlotPreference
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    order = (
        Order.objects.filter(organization__isnull=False, actions__isnull=False)
        .order_by("number")
        .first()
    )
    from orders.models import CustomField, RequestType, TimeEntry

    request = (
        Order.objects.filter(request_type__builtin_type="", status="draft")
        .order_by("number")
        .first()
    )
    return {
        "request_type": RequestType.objects.filter(builtin_type="").order_by("pk").first(),
        "custom_field": CustomField.objects.filter(request_type__builtin_type="")
        .order_by("pk")
        .first(),
        "request": request,
        "time_entry": TimeEntry.objects.order_by("pk").first(),
        "order": order,
        "action": OrderAction.objects.filter(order=order).order_by("pk").first(),
        "attachment": OrderAttachment.objects.order_by("pk").first(),
        "itsm": OrderITSMTicket.objects.order_by("pk").first(),
        "queue": OrderQueue.objects.order_by("pk").first(),
        "ticket": RefreshTicket.objects.order_by("pk").first(),
        "approval": RefreshTicket.objects.filter(status="pending_approval").order_by("pk").first(),
        "batch": RefreshBatch.objects.order_by("pk").first(),
        "config": RefreshConfig.objects.order_by("pk").first(),
        "slot": ScheduleSlot.objects.filter(deleted_at__isnull=True).order_by("pk").first(),
        "preference": ScheduleSlotPreference.objects.order_by("pk").first(),
        # Feed secrets are stored hashed: the world makes one and keeps the secret.
        "feed": None,
        "email": OutboundEmail.objects.order_by("pk").first(),
        "stub_ticket": StubITSMTicket.objects.order_by("pk").first(),
        "api_key": ApiKey.objects.order_by("pk").first(),
        "saved_view": SavedView.objects.order_by("pk").first(),
        "subscription": ReportSubscription.objects.order_by("pk").first(),
        "policy": LifecyclePolicy.objects.order_by("pk").first(),
        "webhook": WebhookEndpoint.objects.order_by("pk").first(),
        "delivery": WebhookDelivery.objects.order_by("pk").first(),
        "effect": Effect.objects.order_by("pk").first(),
    }


def _add_what_the_demo_lacks(objects: dict, staff: User) -> None:
    """Objects the demo makes only through after-commit effects (which never run here)."""
    from django.core.files.base import ContentFile

    from integrations.models import StubITSMTicket
    from orders.models import OrderAttachment, OrderITSMTicket, OrderMessage
    from scheduling.services import calendar_feed_create
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    order = objects["order"]
    if objects["effect"] is None:
        from common.models import Effect

        objects["effect"] = Effect.objects.create(
            task_name="refresh.tasks.itsm_ticket_create_task", kwargs={"ticket_id": 0}, key="table"
        )
    if objects["stub_ticket"] is None:
        objects["stub_ticket"] = StubITSMTicket.objects.create(title="Table ticket")
    if objects["itsm"] is None:
        objects["itsm"] = OrderITSMTicket.objects.create(order=order, itsm_id="T-1", title="T")
    if objects["attachment"] is None:
        message = OrderMessage.objects.create(order=order, kind="reply", body="See file")
        attachment = OrderAttachment(
            message=message, filename="note.txt", size=5, content_type="text/plain"
        )
        attachment.file.save("note.txt", ContentFile(b"hello"), save=True)
        objects["attachment"] = attachment
    if objects["feed"] is None:
        objects["feed"] = calendar_feed_create(user=staff)
    if objects["webhook"] is None:
        objects["webhook"] = WebhookEndpoint.objects.create(
            url="http://127.0.0.1:9/hook", secret="s" * 32, events=["order.submitted"]
        )
    if objects["delivery"] is None:
        objects["delivery"] = WebhookDelivery.objects.create(
            endpoint=objects["webhook"], event="order.submitted", payload={}
        )


def _pk(obj, default=999999):
    return obj.pk if obj is not None else default


def _url_args(o: dict) -> dict[str, list]:
    """URL name -> positional arguments naming one demo object (or a token nobody holds)."""
    order = o["order"]
    number = order.number
    attachment = o["attachment"]
    attachment_order = attachment.message.order.number if attachment else number
    itsm = o["itsm"]
    feed = o["feed"] or "no-such-token"
    return {
        "password_reset_confirm": ["MQ", "set-password"],
        "scheduling:slot_detail": [_pk(o["slot"])],
        "scheduling:slot_delete": [_pk(o["slot"])],
        "scheduling:preference_edit": [_pk(o["preference"])],
        "scheduling:preference_deactivate": [_pk(o["preference"])],
        "scheduling:feed_all": [feed],
        "orders:appointments_feed": [feed],
        "scheduling:feed_team": [feed, _pk(o["slot"].team if o["slot"] else None)],
        "integrations:effect_retry": [_pk(o["effect"])],
        "refresh:customer_entry": ["no-such-token"],
        "refresh:customer_step": ["no-such-token", "location"],
        "refresh:ticket_detail": [_pk(o["ticket"])],
        "refresh:ticket_action": [_pk(o["ticket"]), "hold"],
        "refresh:ticket_comment": [_pk(o["ticket"])],
        "refresh:ticket_itsm_lookup": [_pk(o["ticket"])],
        "refresh:ticket_location": [_pk(o["ticket"])],
        "refresh:ticket_replacement": [_pk(o["ticket"])],
        "refresh:ticket_slot": [_pk(o["ticket"])],
        "refresh:ticket_tracking": [_pk(o["ticket"])],
        "refresh:ticket_group": [_pk(o["ticket"])],
        "refresh:batch_detail": [_pk(o["batch"])],
        "refresh:batch_create_tickets": [_pk(o["batch"])],
        "refresh:config_detail": [_pk(o["config"])],
        "refresh:config_edit": [_pk(o["config"])],
        "refresh:approval_approve": [_pk(o["approval"])],
        "refresh:approval_return": [_pk(o["approval"])],
        "refresh:approval_edit": [_pk(o["approval"])],
        "orders:portal_create": ["email_only"],
        "orders:portal_detail": [number],
        "orders:portal_edit": [number],
        "orders:portal_reply": [number],
        "orders:portal_cancel": [number],
        "orders:portal_attachment": [attachment_order, _pk(attachment)],
        "orders:finish_link": ["no-such-token"],
        "orders:enduser_link": ["no-such-token"],
        "orders:account_access": ["no-such-token"],
        "orders:staff_queue": [_pk(o["queue"])],
        "orders:staff_attachment": [_pk(attachment)],
        "orders:staff_detail": [number],
        "orders:staff_action_process": [number, _pk(o["action"])],
        "orders:staff_action_skip": [number, _pk(o["action"])],
        "orders:staff_action_retry": [number, _pk(o["action"])],
        "orders:staff_details": [number],
        "orders:staff_hold": [number],
        "orders:staff_resume": [number],
        "orders:staff_cancel": [number],
        "orders:staff_organization": [number],
        "orders:staff_itsm_add": [number],
        "orders:staff_itsm_status": [
            itsm.order.number if itsm else number,
            _pk(itsm),
        ],
        "orders:staff_message": [number],
        "orders:staff_subscribe": [number],
        "orders:staff_unsubscribe": [number],
        "orders:staff_secret": [number],
        "orders:staff_send_link": [number],
        "orders:staff_appointment": [number],
        "orders:staff_appointment_cancel": [number],
        "orders:staff_information": [number],
        "notifications:outbox_detail": [_pk(o["email"])],
        "notifications:outbox_resend": [_pk(o["email"])],
        "integrations:itsm_stub_ticket": [_pk(o["stub_ticket"])],
        "integrations:itsm_stub_ticket_status": [_pk(o["stub_ticket"])],
        "api_keys:revoke": [_pk(o["api_key"])],
        "reports:export": ["tickets", "csv"],
        "reports:saved_view": [_pk(o["saved_view"])],
        "reports:saved_view_delete": [_pk(o["saved_view"])],
        "reports:subscription_stop": [_pk(o["subscription"])],
        "reports:unsubscribe": ["no-such-token"],
        "reports:lifecycle_policy_delete": [_pk(o["policy"])],
        # django-allauth's pages with arguments: keys and ids nobody holds, and
        # the identity providers' ids (not configured in tests: 404).
        "account_confirm_email": ["no-such-key"],
        "account_reset_password_from_key": ["MQ", "set-password"],
        "mfa_edit_webauthn": [999999],
        "mfa_remove_webauthn": [999999],
        "openid_connect_login": ["idp"],
        "openid_connect_callback": ["idp"],
        "saml_acs": ["idp-saml"],
        "saml_finish_acs": ["idp-saml"],
        "saml_login": ["idp-saml"],
        "saml_metadata": ["idp-saml"],
        "saml_sls": ["idp-saml"],
        "webhooks:endpoint_edit": [_pk(o["webhook"])],
        "webhooks:redeliver": [_pk(o["delivery"])],
        # Request types (issue 13): the demo's "Website change" request and its pieces.
        "orders:portal_request_create": [o["request_type"].slug if o["request_type"] else "x"],
        "orders:portal_request_edit": [_request_number(o)],
        "orders:staff_request_type": [_pk(o["request_type"])],
        "orders:staff_custom_field_add": [_pk(o["request_type"])],
        "orders:staff_custom_field": [_pk(o["custom_field"])],
        "orders:staff_custom_field_remove": [_pk(o["custom_field"])],
        "orders:staff_answers": [_request_number(o)],
        "orders:staff_time_log": [number],
        "orders:staff_action_plan": [number],
        "orders:staff_time_edit": [_pk(o["time_entry"])],
        "orders:staff_time_delete": [_pk(o["time_entry"])],
    }


def _request_number(o) -> int:
    return o["request"].number if o["request"] is not None else 999999
