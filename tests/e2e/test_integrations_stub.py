"""The ITSM stub page in the browser: a refresh manager finds it in the navigation,
makes a replacement asset exist, marks a ticket installed and rehearses an outage."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from integrations.itsm import NewTicket
from integrations.itsm.stub import StubITSMClient
from integrations.models import StubITSMAsset, StubSettings
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_drives_the_stub_by_hand(page, live_server, login):
    manager = UserFactory(full_name="Morgan Manager", roles=[Role.REFRESH_MANAGER], is_staff=True)
    ticket = StubITSMClient().create_ticket(
        ticket=NewTicket(
            title="Device refresh: MED00001", description="", requestor_email="ann@x.edu"
        ),
        task_titles=["Prestage"],
        idempotency_key="e2e-1",
    )
    page.on("dialog", lambda dialog: dialog.accept())

    login(manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="ITSM stub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ITSM stub")
    expect(page.get_by_role("table")).to_contain_text("Device refresh: MED00001")

    page.get_by_label("Serial number").fill("NEW00003")
    page.get_by_role("button", name="Add asset").click()
    expect(page.get_by_text("Asset NEW00003 now exists")).to_be_visible()
    assert StubITSMAsset.objects.filter(serial_number="NEW00003").exists()

    page.get_by_role("button", name=f"Mark ticket {ticket.id} installed").click()
    expect(page.get_by_text(f"ITSM ticket {ticket.id} is now installed.")).to_be_visible()
    assert StubITSMClient().get_ticket_status(ticket_id=ticket.id).installed

    page.get_by_role("button", name="Start an outage").click()
    expect(page.get_by_role("button", name="End the outage")).to_be_visible()
    assert StubSettings.current().itsm_outage
    page.get_by_role("button", name="End the outage").click()
    expect(page.get_by_role("button", name="Start an outage")).to_be_visible()
