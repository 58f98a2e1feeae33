"""Administrator pages: batches from serials, bulk creation, bulk actions, configs."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshBatch, RefreshConfig, RefreshTicket
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

S = TicketStatus
pytestmark = pytest.mark.django_db


def test_batch_pages_lookup_then_create(client, admin):
    config = RefreshConfigFactory()
    systems = [SystemFactory() for _ in range(3)]
    client.force_login(admin)
    text = "\n".join(s.serial_number for s in systems) + "\nMISSING-1"
    response = client.post(
        reverse("refresh:batch_create"),
        {"name": "Wave 1", "config": config.pk, "serials_text": text},
    )
    batch = RefreshBatch.objects.get()
    assert response.url == reverse("refresh:batch_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Unknown serial" in page
    assert "Create 3 tickets" in page
    client.post(reverse("refresh:batch_create_tickets", args=[batch.pk]))
    assert RefreshTicket.objects.filter(batch=batch).count() == 3
    page = client.get(reverse("refresh:batch_detail", args=[batch.pk])).content.decode()
    assert "Ticket created" in page


def test_batch_upload(client, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    config = RefreshConfigFactory()
    system = SystemFactory()
    client.force_login(admin)
    upload = SimpleUploadedFile("serials.csv", f"{system.serial_number}\n".encode())
    client.post(
        reverse("refresh:batch_create"), {"name": "Up", "config": config.pk, "upload": upload}
    )
    assert RefreshBatch.objects.get().serials_text == system.serial_number


def test_bulk_creation_page(client, admin):
    config = RefreshConfigFactory()
    systems = [SystemFactory() for _ in range(2)]
    client.force_login(admin)
    response = client.get(reverse("refresh:bulk_create"))
    assert response.context["page"].paginator.count == 2
    response = client.post(
        reverse("refresh:bulk_create"), {"system": [s.pk for s in systems], "config": config.pk}
    )
    assert response.context["report"].ok_count == 2
    assert RefreshTicket.objects.count() == 2


def test_bulk_hold_from_list(client, admin, flow):
    tickets = [flow.to(S.PENDING_CUSTOMER) for _ in range(2)]
    client.force_login(admin)
    response = client.post(
        reverse("refresh:tickets_bulk"),
        {"ticket": [t.pk for t in tickets], "action": "hold", "note": "freeze"},
    )
    assert response.context["report"].ok_count == 2
    assert set(RefreshTicket.objects.values_list("status", flat=True)) == {S.ON_HOLD}


def test_config_pages(client, admin, make_user, organization):
    approver = make_user(Role.APPROVER)
    client.force_login(admin)
    assert client.get(reverse("refresh:config_list")).status_code == 200
    response = client.post(
        reverse("refresh:config_create"),
        {
            "name": "Medicine 2026",
            "organization": organization.pk,
            "style": RefreshStyle.ON_PREM,
            "requires_approval": "on",
            "active": "on",
        },
    )
    assert response.status_code == 200  # approvers required
    response = client.post(
        reverse("refresh:config_create"),
        {
            "name": "Medicine 2026",
            "organization": organization.pk,
            "style": RefreshStyle.ON_PREM,
            "requires_approval": "on",
            "approvers": [approver.pk],
            "active": "on",
        },
    )
    config = RefreshConfig.objects.get(name="Medicine 2026")
    assert list(config.approvers.all()) == [approver]
    assert client.get(reverse("refresh:config_detail", args=[config.pk])).status_code == 200
    response = client.post(
        reverse("refresh:config_edit", args=[config.pk]),
        {
            "name": "Medicine 2027",
            "organization": organization.pk,
            "style": RefreshStyle.ON_PREM,
            "requires_approval": "on",
            "approvers": [approver.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("refresh:config_detail", args=[config.pk])).content.decode()
    assert "Change history" in page
    assert "name: Medicine 2026 → Medicine 2027" in page
