"""Refresh endpoints through the real services: filters, actions with audit rows,
cursor pagination, the system upsert."""

import pytest

from accounts.roles import Role
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicketAudit, System
from tests.api.conftest import key_client
from tests.refresh.factories import HardwareModelFactory, StockSystemFactory, SystemFactory

S = TicketStatus


@pytest.fixture
def admin_api(admin):
    return key_client(admin)


def test_list_filters_like_the_staff_list(flow, admin_api):
    held = flow.to(S.ON_HOLD)
    flow.new()
    rows = admin_api.get("/api/v1/refresh/tickets/", {"status": "on_hold"}).json()["results"]
    assert [row["id"] for row in rows] == [held.pk]
    assert rows[0]["number"] == held.number
    serial = held.existing_system.serial_number
    found = admin_api.get("/api/v1/refresh/tickets/", {"q": serial}).json()["results"]
    assert [row["serial_number"] for row in found] == [serial]


def test_hold_then_resume_write_audit_rows_with_the_key_owner(flow, admin, admin_api):
    ticket = flow.new()
    before = ticket.status
    response = admin_api.post(f"/api/v1/refresh/tickets/{ticket.pk}/hold/", {"note": "parts"})
    assert response.status_code == 200
    assert response.json()["status"] == S.ON_HOLD
    assert response.json()["status_before_hold"] == before
    audit = RefreshTicketAudit.objects.filter(ticket=ticket).last()
    assert (audit.actor, audit.to_status, audit.note) == (admin, S.ON_HOLD, "parts")
    resumed = admin_api.post(f"/api/v1/refresh/tickets/{ticket.pk}/resume/", {})
    assert resumed.json()["status"] == before


def test_wrong_state_is_a_409_with_the_services_message(flow, admin_api):
    ticket = flow.new()
    response = admin_api.post(f"/api/v1/refresh/tickets/{ticket.pk}/resume/", {})
    assert response.status_code == 409
    body = response.json()
    assert body["title"] == "Conflict"
    assert ticket.number in body["detail"]


def test_tracking_number_and_replacement(flow, admin_api):
    ticket = flow.to(S.PENDING_ORDERING)
    stock = StockSystemFactory(hardware_model=ticket.existing_system.hardware_model)
    response = admin_api.post(
        f"/api/v1/refresh/tickets/{ticket.pk}/replacement/", {"serial_number": stock.serial_number}
    )
    assert response.json()["replacement_serial_number"] == stock.serial_number
    missing = admin_api.post(
        f"/api/v1/refresh/tickets/{ticket.pk}/replacement/", {"serial_number": "NOPE"}
    )
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"serial_number": ["No system has this serial."]}
    # Only remote tickets ship (issue #11): an on-prem ticket refuses a tracking number.
    refused = admin_api.post(
        f"/api/v1/refresh/tickets/{ticket.pk}/tracking-number/", {"tracking_number": "1Z42"}
    )
    assert refused.status_code == 400
    remote = flow.to(S.PENDING_DELIVERY, style=RefreshStyle.REMOTE)
    tracked = admin_api.post(
        f"/api/v1/refresh/tickets/{remote.pk}/tracking-number/", {"tracking_number": "1Z42"}
    )
    assert tracked.json()["tracking_number"] == "1Z42"


def test_book_a_slot_of_the_tickets_team(flow, manager, make_slot, make_user):
    from accounts.models import SupportTeam

    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    api = key_client(manager)
    foreign = make_slot(slot_team=SupportTeam.objects.create(name="Other", email="o@example.edu"))
    refused = api.post(f"/api/v1/refresh/tickets/{ticket.pk}/book/", {"slot_id": foreign.pk})
    assert refused.status_code == 400
    slot = make_slot(days=4)
    booked = api.post(f"/api/v1/refresh/tickets/{ticket.pk}/book/", {"slot_id": slot.pk})
    assert booked.status_code == 200
    assert booked.json()["status"] == S.DELIVERY_SCHEDULED


def test_cursor_pagination_walks_every_ticket_once(flow, admin_api, django_assert_num_queries):
    made = {flow.new(style=RefreshStyle.NO_CUSTOMER).pk for _ in range(5)}
    seen, url, pages = [], "/api/v1/refresh/tickets/?page_size=2", 0
    while url:
        response = admin_api.get(url)
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))
    assert pages == 3
    # the key with its user, then the page (permissions come from the access cache)
    with django_assert_num_queries(2):
        admin_api.get("/api/v1/refresh/tickets/?page_size=2")


def test_configs_and_systems_are_read_only_lists(flow, admin_api):
    ticket = flow.new()
    configs = admin_api.get("/api/v1/refresh/configs/").json()["results"]
    assert ticket.config.name in [c["name"] for c in configs]
    serial = ticket.existing_system.serial_number
    one = admin_api.get(f"/api/v1/refresh/systems/{serial.lower()}/").json()
    assert one["serial_number"] == serial
    assert admin_api.delete(f"/api/v1/refresh/systems/{serial}/").status_code == 405


def test_system_upsert_creates_then_updates(admin_api, organization):
    model = HardwareModelFactory()
    created = admin_api.post(
        "/api/v1/refresh/systems/",
        {
            "serial_number": " c02xy1 ",
            "name": "LAB-01",
            "hardware_model_id": model.pk,
            "organization_id": organization.pk,
            "purchase_date": "2022-01-10",
            "warranty_end": "2025-01-10",
        },
        format="json",
    )
    assert created.status_code == 201
    system = System.objects.get(serial_number="C02XY1")
    assert (system.platform, system.organization) == (model.platform, organization)
    updated = admin_api.post(
        "/api/v1/refresh/systems/", {"serial_number": "C02XY1", "room": "204"}, format="json"
    )
    assert updated.status_code == 200
    system.refresh_from_db()
    assert (system.room, system.name) == ("204", "LAB-01")


def test_system_upsert_reports_field_errors(admin_api):
    existing = SystemFactory(purchase_date=None)
    response = admin_api.post(
        "/api/v1/refresh/systems/",
        {
            "serial_number": existing.serial_number,
            "purchase_date": "2024-05-01",
            "warranty_end": "2023-05-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "warranty_end": ["The warranty cannot end before the purchase date."]
    }
    new = admin_api.post("/api/v1/refresh/systems/", {"serial_number": "NEW1"}, format="json")
    assert new.json()["errors"] == {"hardware_model": ["A new system needs its hardware model."]}
    bad = admin_api.post(
        "/api/v1/refresh/systems/",
        {"serial_number": "NEW1", "current_user_email": "ghost@example.edu"},
        format="json",
    )
    assert bad.json()["errors"] == {"current_user_email": ["No user has this email address."]}


def test_manager_may_not_upsert(make_user):
    api = key_client(make_user(Role.REFRESH_MANAGER))
    response = api.post("/api/v1/refresh/systems/", {"serial_number": "X1"}, format="json")
    assert response.status_code == 403


def test_batch_from_serials_reports_every_row(admin_api, admin):
    from refresh.models import RefreshBatchRow, RefreshTicket
    from tests.refresh.factories import RefreshConfigFactory

    config = RefreshConfigFactory()
    good = SystemFactory()
    body = {
        "name": "Spring lab",
        "config_id": config.pk,
        "serials": [good.serial_number, "UNKNOWN1", good.serial_number],
    }
    preview = admin_api.post("/api/v1/refresh/batches/", body).json()
    assert preview["applied"] is False
    assert [r["outcome"] for r in preview["rows"]] == ["found", "unknown", "duplicate"]
    assert not RefreshTicket.objects.exists()
    created = admin_api.post("/api/v1/refresh/batches/", {**body, "create_tickets": True})
    assert created.status_code == 201
    report = created.json()
    assert report["applied"] is True
    assert [r["outcome"] for r in report["rows"]] == ["created", "unknown", "duplicate"]
    ticket = RefreshTicket.objects.get()
    assert report["rows"][0]["ticket_id"] == ticket.pk
    assert RefreshBatchRow.objects.filter(batch_id=report["batch"]["id"]).count() == 3
    assert report["batch"]["ticket_count"] == 1
