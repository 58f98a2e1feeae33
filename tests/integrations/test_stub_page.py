"""The ITSM stub page: who may use it, flipping tickets, outage, lost answers, assets."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from integrations.itsm import NewTicket, TicketState
from integrations.itsm.stub import StubITSMClient
from integrations.models import StubITSMAsset, StubITSMTicket, StubSettings, StubSlackMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.REFRESH_ADMINISTRATOR)


def _ticket(n=1):
    new = NewTicket(title=f"Device refresh {n}", description="", requestor_email=f"p{n}@x.edu")
    return StubITSMClient().create_ticket(
        ticket=new, task_titles=["Prestage"], idempotency_key=f"t{n}"
    )


@pytest.mark.parametrize("role", [Role.REFRESH_ADMINISTRATOR, Role.REFRESH_MANAGER])
def test_refresh_staff_see_the_page_and_nav(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(reverse("integrations:itsm_stub"))
    assert response.status_code == 200
    assert "<h1>ITSM stub</h1>" in response.text
    assert 'href="/integrations/itsm/"' in response.text


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.APPROVER, Role.ORDERS_TECHNICIAN, Role.SCHEDULE_SLOT_ADMIN]
)
def test_others_are_refused(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("integrations:itsm_stub")).status_code == 403
    ticket = _ticket()
    url = reverse("integrations:itsm_stub_ticket_status", args=[ticket.id])
    assert client.post(url, {"status": "closed"}).status_code == 403
    outage = reverse("integrations:itsm_stub_outage")
    assert client.post(outage, {"on": "1"}).status_code == 403
    timeout = reverse("integrations:itsm_stub_create_timeout")
    assert client.post(timeout, {"on": "1"}).status_code == 403
    asset = reverse("integrations:itsm_stub_asset")
    assert client.post(asset, {"serial_number": "X1"}).status_code == 403
    assert StubITSMTicket.objects.get(pk=ticket.id).status == TicketState.NEW
    assert not StubSettings.objects.filter(itsm_outage=True).exists()
    assert not StubSettings.objects.filter(itsm_create_times_out=True).exists()
    assert not StubITSMAsset.objects.exists()


def test_anonymous_cannot_use_it(client):
    assert client.get(reverse("integrations:itsm_stub")).status_code in (302, 403)


def test_flip_installed_then_closed(client, admin_user):
    client.force_login(admin_user)
    ticket = _ticket()
    url = reverse("integrations:itsm_stub_ticket_status", args=[ticket.id])

    response = client.post(url, {"status": "installed"}, follow=True)
    assert f"ITSM ticket {ticket.id} is now installed." in response.text
    status = StubITSMClient().get_ticket_status(ticket_id=ticket.id)
    assert status.installed
    assert not status.closed

    client.post(url, {"status": "closed"})
    assert StubITSMClient().get_ticket_status(ticket_id=ticket.id).closed


def test_flip_refuses_other_states_and_get(client, admin_user):
    client.force_login(admin_user)
    ticket = _ticket()
    url = reverse("integrations:itsm_stub_ticket_status", args=[ticket.id])
    client.post(url, {"status": "cancelled"})
    assert StubITSMTicket.objects.get(pk=ticket.id).status == TicketState.NEW
    assert client.get(url).status_code == 405


def test_outage_toggle_leaves_work_waiting(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("integrations:itsm_stub_outage"), {"on": "1"})
    assert StubSettings.current().itsm_outage
    assert "<strong>down</strong>" in client.get(reverse("integrations:itsm_stub")).text
    client.post(reverse("integrations:itsm_stub_outage"), {"on": "0"})
    assert not StubSettings.current().itsm_outage


def test_time_out_the_next_create_then_the_retry_finds_the_ticket(client, admin_user):
    from integrations.itsm import TransientITSMError

    client.force_login(admin_user)
    client.post(reverse("integrations:itsm_stub_create_timeout"), {"on": "1"})
    assert "<strong>Armed</strong>" in client.get(reverse("integrations:itsm_stub")).text
    with pytest.raises(TransientITSMError):
        _ticket()
    assert "Time out the next create" in client.get(reverse("integrations:itsm_stub")).text
    retried = _ticket()
    assert StubITSMTicket.objects.count() == 1
    assert [t.title for t in retried.tasks] == ["Prestage"]


def test_make_asset_exist(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("integrations:itsm_stub_asset"), {"serial_number": "new00042"}, follow=True
    )
    assert "Asset NEW00042 now exists" in response.text
    assert StubITSMClient().find_asset_by_serial(serial_number="NEW00042") is not None
    client.post(reverse("integrations:itsm_stub_asset"), {"serial_number": "NEW00042"})
    assert StubITSMAsset.objects.count() == 1
    client.post(reverse("integrations:itsm_stub_asset"), {"serial_number": ""})
    assert StubITSMAsset.objects.count() == 1


def test_list_search_pagination_and_query_budget(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    for n in range(60):
        _ticket(n)
    StubSlackMessage.objects.create(
        team_name="Desktop", channel="#desk", text="Hi", idempotency_key="s"
    )
    # Cold (the count is computed once, then cached): the page's keys, then its rows.
    with django_assert_num_queries(15):
        response = client.get(reverse("integrations:itsm_stub"))
    assert "Page 1 of" in response.text
    assert "#desk" in response.text
    last = StubITSMTicket.objects.order_by("id").last()
    first = StubITSMTicket.objects.order_by("id").first()
    response = client.get(reverse("integrations:itsm_stub"), {"q": str(last.pk)})
    assert f">{last.pk}</a>" in response.text
    assert f">{first.pk}</a>" not in response.text


def test_empty_state(client, admin_user):
    client.force_login(admin_user)
    assert "No ITSM tickets" in client.get(reverse("integrations:itsm_stub")).text


def test_ticket_page(client, admin_user):
    client.force_login(admin_user)
    ticket = _ticket()
    StubITSMClient().update_ticket(ticket_id=ticket.id, comment="Booked Dec 1", idempotency_key="u")
    response = client.get(reverse("integrations:itsm_stub_ticket", args=[ticket.id]))
    assert f"ITSM ticket {ticket.id}" in response.text
    assert "Prestage" in response.text
    assert "Booked Dec 1" in response.text
    assert client.get(reverse("integrations:itsm_stub_ticket", args=[9999])).status_code == 404


def test_status_flip_never_redirects_off_site_and_404s_unknown_tickets(client, make_user):
    client.force_login(make_user(Role.REFRESH_MANAGER))
    ticket = StubITSMClient().create_ticket(
        ticket=NewTicket(title="t", description="", requestor_email=""),
        task_titles=[],
        idempotency_key="redirect-test",
    )
    url = reverse("integrations:itsm_stub_ticket_status", args=[ticket.id])
    response = client.post(url, {"status": "installed", "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("integrations:itsm_stub")
    missing = reverse("integrations:itsm_stub_ticket_status", args=[999999])
    assert client.post(missing, {"status": "installed"}).status_code == 404
