"""Issue 12 item 16: Django admin never changes domain data behind the services' back.

The walk visits EVERY registered ModelAdmin (and its inlines): each editable field
of a domain model (orders, order actions, refresh tickets, configs, slots,
bookings) must be read-only or saved through the app's service with an audit
row holding that field's before and after — checked by saving a changed value
for each editable field.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Organization, SupportTeam, User
from common.admin import AuditedChangeAdmin
from orders.choices import OrderStatus, OrderType
from orders.models import InstallableSoftware, Order, OrderAction, OrderAudit
from orders.services import (
    order_cancel,
    order_create_draft,
    order_queues_ensure_defaults,
    order_submit,
)
from refresh import services as refresh_services
from refresh.models import (
    HardwareModel,
    Peripheral,
    PeripheralBundle,
    RefreshConfig,
    RefreshConfigAudit,
    RefreshTicket,
    RefreshTicketAudit,
    SoftwareTitle,
)
from scheduling.models import Booking, ScheduleSlot
from scheduling.services import booking_create
from tests.accounts.factories import OrganizationFactory, SupportTeamFactory, UserFactory
from tests.orders.factories import InstallableSoftwareFactory
from tests.refresh.factories import (
    HardwareModelFactory,
    PeripheralBundleFactory,
    PeripheralFactory,
    RefreshConfigFactory,
    SoftwareTitleFactory,
    SystemFactory,
)
from tests.scheduling.factories import ScheduleSlotFactory

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = {Order, OrderAction, RefreshTicket, RefreshConfig, ScheduleSlot, Booking}

MAKERS = {
    User: UserFactory,
    SupportTeam: SupportTeamFactory,
    Organization: OrganizationFactory,
    HardwareModel: HardwareModelFactory,
    Peripheral: PeripheralFactory,
    PeripheralBundle: PeripheralBundleFactory,
    SoftwareTitle: SoftwareTitleFactory,
    InstallableSoftware: InstallableSoftwareFactory,
}

AUDITS = {
    Order: lambda obj: OrderAudit.objects.filter(order=obj),
    RefreshTicket: lambda obj: RefreshTicketAudit.objects.filter(ticket=obj),
    RefreshConfig: lambda obj: RefreshConfigAudit.objects.filter(config=obj),
}


@pytest.fixture
def domain_objects(superuser, coordinator, make_user):
    """Objects of every domain model, in states where the admin's rules differ."""
    from accounts.roles import Role

    manager = make_user(Role.ORDERS_MANAGER, Role.ORDERS_TECHNICIAN, is_staff=True)
    order_queues_ensure_defaults()
    org = coordinator.organization

    def email(username):
        return order_create_draft(
            order_type=OrderType.EMAIL_ONLY,
            organization=org,
            submitted_by=coordinator,
            data={"new_full_name": "Ann", "new_username": username, "new_email": "a@x.edu"},
        )

    draft = email("adraft")
    submitted = order_submit(order=email("asub"), actor=coordinator)  # automation not run
    install = order_create_draft(
        order_type=OrderType.INSTALL_SOFTWARE,
        organization=org,
        submitted_by=coordinator,
        data={"existing_user": coordinator, "workstation": "WX1"},
    )
    cancelled = order_submit(order=email("acan"), actor=coordinator)
    order_cancel(order=cancelled, actor=manager, note="No longer needed.")

    team = SupportTeamFactory()
    config = RefreshConfigFactory(support_team=team)
    config.approvers.add(UserFactory())
    new_ticket = refresh_services.ticket_create(
        system=SystemFactory(), config=config, actor=superuser
    )
    later = refresh_services.ticket_create(system=SystemFactory(), config=config, actor=superuser)
    refresh_services.ticket_send_invite(ticket=later)
    later = refresh_services.ticket_submit_wizard(ticket=later, actor_label="customer", answers={})

    slot = ScheduleSlotFactory(team=team)
    booking = booking_create(slot_id=slot.pk, booked_object=team)
    return [
        *(Order.objects.get(pk=o.pk) for o in (draft, submitted, install, cancelled)),
        OrderAction.objects.filter(order=submitted).first(),
        RefreshTicket.objects.get(pk=new_ticket.pk),
        RefreshTicket.objects.get(pk=later.pk),
        RefreshConfig.objects.get(pk=config.pk),
        ScheduleSlot.objects.get(pk=slot.pk),
        Booking.objects.get(pk=booking.pk),
    ]


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    request._messages = SimpleNamespace(add=lambda *a, **k: None)
    return request


def _current(obj, field):
    if field.many_to_many:
        return list(getattr(obj, field.name).all())
    return getattr(obj, field.name)


def _another_value(obj, field):
    """A valid value for ``field`` that differs from the object's current one."""
    current = _current(obj, field)
    if field.many_to_many:
        return [*current, MAKERS[field.related_model]()]
    if field.is_relation:
        other = field.related_model.objects.exclude(pk=getattr(current, "pk", None)).first()
        return other or MAKERS[field.related_model]()
    if field.choices:
        return next(value for value, _ in field.flatchoices if value and value != current)
    if isinstance(field, models.BooleanField):
        return not current
    if isinstance(field, models.DateField):
        return (current or dt.date.today()) + dt.timedelta(days=3)
    if isinstance(field, models.JSONField):
        return [*(current or []), "added-in-admin"]
    if isinstance(field, models.EmailField):
        return "changed-in-admin@example.edu"
    if isinstance(field, models.CharField | models.TextField):
        return (current or "")[: (field.max_length or 100) - 2] + "z2"
    if isinstance(field, models.IntegerField):
        return (current or 0) + 1
    pytest.fail(f"No test value for {field!r}: teach the walk this field type.")


def _admins():
    """Every registered ModelAdmin, and each of its inlines with the parent admin."""
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin, None
        for inline_class in model_admin.inlines:
            yield inline_class.model, inline_class(model, admin.site), model_admin


def test_every_admin_shows_domain_fields_read_only_or_saves_them_with_an_audit_row(
    domain_objects, superuser
):
    request = _request(superuser)
    seen, checked = set(), 0
    for model, model_admin, parent in _admins():
        if model not in DOMAIN_MODELS:
            continue
        seen.add(model)
        if parent is not None:  # an inline of a domain model: never editable
            parent_objects = [o for o in domain_objects if isinstance(o, parent.model)]
            for parent_obj in parent_objects or [None]:
                form = model_admin.get_formset(request, parent_obj).form
                editable = set(form.base_fields) - {"id", "DELETE"}
                assert not editable, f"{type(model_admin).__name__} edits {sorted(editable)}"
                assert not model_admin.has_add_permission(request, parent_obj)
                assert not (
                    model_admin.can_delete
                    and model_admin.has_delete_permission(request, parent_obj)
                )
            continue
        assert isinstance(model_admin, AuditedChangeAdmin), type(model_admin).__name__
        assert not model_admin.has_delete_permission(request, None) or model is RefreshTicket
        for obj in [o for o in domain_objects if type(o) is model]:
            form_class = model_admin.get_form(request, obj, change=True)
            editable = set(form_class.base_fields)
            assert editable <= set(model_admin.audited_fields(request, obj)), model
            # The type last: on a draft it changes which fields the form shows.
            for name in sorted(editable, key=lambda n: (n == "order_type", n)):
                obj = type(obj).objects.get(pk=obj.pk)
                field = model._meta.get_field(name)
                value = _another_value(obj, field)
                cleaned = {n: _current(obj, model._meta.get_field(n)) for n in editable}
                cleaned[name] = value
                before = AUDITS[model](obj).count()
                fake_form = SimpleNamespace(changed_data=[name], cleaned_data=cleaned)
                model_admin.save_model(request, obj, fake_form, change=True)
                assert not getattr(request, "_audited_save_error", ""), (
                    model,
                    name,
                    request._audited_save_error,
                )
                rows = AUDITS[model](obj).order_by("-pk")
                assert rows.count() == before + 1, (model, name)
                before_after = rows.first().changes[name]
                assert before_after[0] != before_after[1], (model, name)
                checked += 1
    assert seen == DOMAIN_MODELS
    assert checked > 40  # the walk really saved fields (orders, tickets, configs)


def test_read_only_once_submitted_and_for_final_orders(domain_objects, superuser):
    request = _request(superuser)
    order_admin = admin.site._registry[Order]
    draft, submitted, _install, cancelled = domain_objects[:4]
    assert "order_type" in order_admin.get_form(request, draft, change=True).base_fields
    submitted_fields = order_admin.get_form(request, submitted, change=True).base_fields
    assert "order_type" not in submitted_fields
    assert "status" not in submitted_fields
    assert "queue" not in submitted_fields
    assert "priority" in submitted_fields
    assert not order_admin.get_form(request, cancelled, change=True).base_fields

    ticket_admin = admin.site._registry[RefreshTicket]
    new_ticket, later = domain_objects[5], domain_objects[6]
    assert "style" in ticket_admin.get_form(request, new_ticket, change=True).base_fields
    assert "style" not in ticket_admin.get_form(request, later, change=True).base_fields


def test_the_order_change_form_saves_through_the_service(client, superuser, domain_objects):
    submitted = domain_objects[1]
    client.force_login(superuser)
    url = reverse("admin:orders_order_change", args=[submitted.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    data.update(priority="urgent", order_type=OrderType.INSTALL_SOFTWARE, status="completed")
    for prefix in ("actions", "audits"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    submitted.refresh_from_db()
    assert submitted.priority == "urgent"
    assert submitted.order_type == OrderType.EMAIL_ONLY  # read-only once submitted
    assert submitted.status == OrderStatus.SUBMITTED  # owned by transitions
    row = submitted.audits.get(transition="admin_edited")
    assert row.changes == {"priority": ["normal", "urgent"]}
    assert row.actor == superuser


def test_the_admin_purge_action_calls_the_secrets_service(client, superuser, coordinator):
    from orders.models import EndUserSecret
    from orders.services import enduser_link_submit

    order_queues_ensure_defaults()
    order = order_create_draft(
        order_type=OrderType.INSTALL_SOFTWARE,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "existing_user": coordinator,
            "workstation": "WX9",
            "software": [InstallableSoftwareFactory()],
        },
    )
    order = order_submit(order=order, actor=coordinator)
    enduser_link_submit(order=order, password="a-secret-pass", slot_id=None)
    secret = EndUserSecret.objects.get(order=order)
    client.force_login(superuser)
    client.post(
        reverse("admin:orders_endusersecret_changelist"),
        {"action": "purge", "_selected_action": [secret.pk]},
    )
    secret.refresh_from_db()
    assert secret.purged_at is not None
    assert secret.ciphertext == ""
    row = order.audits.get(transition="secret_purged")
    assert row.actor == superuser
    assert "in the admin" in row.note
