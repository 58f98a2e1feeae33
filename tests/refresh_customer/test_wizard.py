import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import AccessLink
from refresh import services
from refresh.choices import EventKind, RefreshStyle, TicketStatus
from refresh.models import RefreshTicketAudit
from tests.refresh.factories import (
    HardwareModelFactory,
    PeripheralBundleFactory,
    PeripheralFactory,
    SoftwareTitleFactory,
)

pytestmark = pytest.mark.django_db
S = TicketStatus

ADDRESS = {
    "ship_to_name": "Pat Home",
    "ship_street": "1 Elm St",
    "ship_street2": "",
    "ship_city": "Ann Arbor",
    "ship_state": "mi",
    "ship_zip": "481041234",
}


def _snapshot(ticket):
    ticket.refresh_from_db()
    return (ticket.status, ticket.wizard_progress, ticket.updated_at, ticket.audits.count())


def test_valid_link_renders_each_step(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    url = link_for(ticket)
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Shipping address" not in content or "Location" in content
    assert 'name="ship_zip"' in content
    for step in ("location", "device", "peripherals", "review"):
        response = client.get(f"{url}{step}/")
        assert response.status_code == 200, step
        assert 'aria-current="step"' in response.content.decode()


def test_unknown_link_is_410(client, db):
    response = client.get("/refresh/c/not-a-real-token/")
    assert response.status_code == 410
    assert "This link does not work" in response.content.decode()


def test_expired_link_is_410_with_team_contact(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    url = link_for(ticket)
    AccessLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(url)
    assert response.status_code == 410
    content = response.content.decode()
    assert "expired" in content
    assert ticket.support_team.email in content


def test_revoked_link_is_410(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    old = link_for(ticket)
    link_for(ticket)  # a newer link revokes the old one
    assert client.get(old).status_code == 410


def test_ticket_past_purpose_is_410(client, flow, link_for):
    ticket = flow.to(S.CANCELLED)
    assert client.get(link_for(ticket)).status_code == 410
    ticket = flow.to(S.PENDING_ORDERING)
    assert client.get(link_for(ticket, "refresh_pick_slot")).status_code == 410


def test_get_does_not_mutate(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    url = link_for(ticket)
    before = _snapshot(ticket)
    for step in ("", "location/", "device/", "peripherals/", "review/", "done/"):
        client.get(url + step)
    assert _snapshot(ticket) == before


def test_zip_and_state_errors_show_next_to_fields(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    url = link_for(ticket)
    response = client.post(
        url + "location/", {**ADDRESS, "ship_state": "Michigan", "ship_zip": "4810"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_ship_state_error"' in content
    assert 'id="id_ship_zip_error"' in content
    ticket.refresh_from_db()
    assert ticket.wizard_progress == {}


def test_remote_walk_ends_pending_approval(client, wizard_ticket, link_for):
    other = HardwareModelFactory()
    bundle = PeripheralBundleFactory()
    monitor, dock = PeripheralFactory(), PeripheralFactory()
    bundle.peripherals.add(monitor)
    title = SoftwareTitleFactory()
    ticket = wizard_ticket(
        approval=True,
        can_customize_computer=True,
        can_customize_peripherals=True,
        can_customize_software=True,
        peripheral_bundle=bundle,
    )
    ticket.config.approved_models.add(other)
    ticket.config.approved_peripherals.add(dock)
    ticket.config.software_catalog.add(title)
    url = link_for(ticket)

    response = client.post(url + "location/", ADDRESS)
    assert response.status_code == 302
    assert response.url.endswith("/device/")
    ticket.refresh_from_db()
    assert ticket.wizard_progress["answers"]["ship_zip"] == "48104-1234"
    assert ticket.wizard_progress["answers"]["ship_state"] == "MI"

    response = client.post(url + "device/", {"chosen_model": other.pk})
    assert response.url.endswith("/peripherals/")
    # Back keeps the answers.
    response = client.post(
        url + "peripherals/", {"peripherals": [monitor.pk, dock.pk], "back": "1"}
    )
    assert response.url.endswith("/device/")
    form = client.get(url + "device/").context["form"]
    assert form.initial["chosen_model"] == other.pk
    client.post(url + "device/", {"chosen_model": other.pk})
    client.post(url + "peripherals/", {"peripherals": [monitor.pk, dock.pk]})
    response = client.post(url + "software/", {"software_requests": [title.pk]})
    assert response.url.endswith("/review/")
    review = client.get(url + "review/").content.decode()
    assert "Ann Arbor" in review
    assert str(other) in review
    assert title.name in review

    response = client.post(url + "review/", {"submit": "1"})
    assert response.status_code == 302
    assert response.url.endswith("/done/")
    done = client.get(response.url).content.decode()
    assert "your answers are submitted" in done

    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_APPROVAL
    assert ticket.chosen_model == other
    shipping = (ticket.ship_city, ticket.ship_state, ticket.ship_zip)
    assert shipping == ("Ann Arbor", "MI", "48104-1234")
    assert set(ticket.peripherals.all()) == {monitor, dock}
    assert list(ticket.software_requests.all()) == [title]


def test_on_prem_walk_records_changed_location(client, wizard_ticket, link_for):
    ticket = wizard_ticket(style=RefreshStyle.ON_PREM)
    url = link_for(ticket)
    page = client.get(url).content.decode()
    assert ticket.existing_system.building in page  # prefilled for review
    for step, data in (
        ("location", {"location_building": "North Tower", "location_room": "12"}),
        ("device", {}),
        ("peripherals", {}),
    ):
        response = client.post(url + step + "/", data)
        assert response.status_code == 302, (step, response.content.decode()[-2000:])
    response = client.post(url + "review/", {"submit": "1"})
    assert response.url.endswith("/done/")
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
    assert (ticket.location_building, ticket.location_room) == ("North Tower", "12")
    assert ticket.events.filter(kind=EventKind.CHANGED_LOCATION).count() == 1


def test_on_prem_unchanged_location_records_no_event(client, wizard_ticket, link_for):
    ticket = wizard_ticket(style=RefreshStyle.ON_PREM)
    url = link_for(ticket)
    system = ticket.existing_system
    client.post(
        url + "location/",
        {"location_building": system.building, "location_room": system.room},
    )
    client.post(url + "device/", {})
    client.post(url + "peripherals/", {})
    client.post(url + "review/", {"submit": "1"})
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
    assert not ticket.events.filter(kind=EventKind.CHANGED_LOCATION).exists()


def test_user_specified_location_shows_unit_text(client, wizard_ticket, link_for):
    ticket = wizard_ticket(style=RefreshStyle.USER_SPECIFIED_LOCATION)
    ticket.config.unit_specified_location = "Loading dock B, Science Hall"
    ticket.config.save()
    page = client.get(link_for(ticket)).content.decode()
    assert "Loading dock B, Science Hall" in page


def test_none_fits_needs_reason(client, wizard_ticket, link_for):
    ticket = wizard_ticket(can_request_different_device=True)
    url = link_for(ticket)
    client.post(url + "location/", ADDRESS)
    response = client.post(url + "device/", {"none_fits": "on", "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    client.post(url + "device/", {"none_fits": "on", "reason": "I need a GPU."})
    client.post(url + "peripherals/", {})
    client.post(url + "review/", {"submit": "1"})
    ticket.refresh_from_db()
    assert ticket.none_fits is True
    assert ticket.inadequate_reason == "I need a GPU."
    assert ticket.status == S.PENDING_ORDERING


def test_submit_skipping_steps_goes_back_to_the_missing_step(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    url = link_for(ticket)
    response = client.post(url + "review/", {"submit": "1"})
    assert response.status_code == 302
    assert response.url.endswith("/location/")
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER


def test_double_submit_shows_already_submitted(client, wizard_ticket, link_for):
    ticket = wizard_ticket()
    url = link_for(ticket)
    client.post(url + "location/", ADDRESS)
    client.post(url + "device/", {})
    client.post(url + "peripherals/", {})
    client.post(url + "review/", {"submit": "1"})
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
    audits = RefreshTicketAudit.objects.filter(ticket=ticket).count()
    response = client.post(url + "review/", {"submit": "1"})
    assert response.status_code == 200
    assert "already submitted" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
    assert RefreshTicketAudit.objects.filter(ticket=ticket).count() == audits


def test_a_live_link_is_never_rate_limited_but_guesses_are(client, flow, link_for):
    from notifications.links import FAILURES_PER_MINUTE

    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    url = link_for(ticket, "refresh_pick_slot")
    for n in range(FAILURES_PER_MINUTE):
        assert client.get(f"/refresh/c/{n:03d}guess/").status_code != 429
    response = client.get("/refresh/c/zzzguess/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many attempts" in response.content.decode()
    for _ in range(5):
        assert client.get(url).status_code == 200


def test_submit_after_submission_elsewhere_shows_already_submitted(client, wizard_ticket, link_for):
    from refresh import services

    ticket = wizard_ticket()
    url = link_for(ticket)
    client.post(url + "location/", ADDRESS)
    client.post(url + "device/", {})
    client.post(url + "peripherals/", {})
    services.ticket_submit_wizard(ticket=ticket, answers={**ADDRESS, "ship_zip": "48104"})
    response = client.post(url + "review/", {"submit": "1"})
    assert "already submitted" in response.content.decode()


@pytest.mark.parametrize("purpose", ["refresh_wizard", "refresh_pick_slot", "refresh_reschedule"])
def test_held_ticket_link_says_on_hold_in_plain_words(client, flow, link_for, admin, purpose):
    ticket = flow.to(S.PENDING_CUSTOMER)
    services.ticket_hold(ticket=ticket, actor=admin)
    response = client.get(link_for(ticket, purpose))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Your refresh is on hold</h1>" in content
    assert "We will write when it continues" in content
    assert "already done" not in content


@pytest.mark.parametrize("purpose", ["refresh_wizard", "refresh_pick_slot", "refresh_reschedule"])
def test_cancelled_ticket_link_says_it_was_cancelled(client, flow, link_for, admin, purpose):
    ticket = flow.to(S.PENDING_CUSTOMER)
    services.ticket_cancel(ticket=ticket, actor=admin)
    response = client.get(link_for(ticket, purpose))
    content = response.content.decode()
    assert response.status_code == 410
    assert "<h1>Your refresh was cancelled</h1>" in content
    assert "already done" not in content


def test_none_fits_is_offered_whenever_the_computer_may_be_customized(
    client, wizard_ticket, link_for
):
    ticket = wizard_ticket(can_customize_computer=True, can_request_different_device=False)
    url = link_for(ticket)
    client.post(url + "location/", ADDRESS)
    page = client.get(url + "device/").content.decode()
    assert "None of these fits my needs" in page
    client.post(url + "device/", {"none_fits": "on", "reason": "I need a GPU."})
    client.post(url + "peripherals/", {})
    client.post(url + "review/", {"submit": "1"})
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
    assert ticket.none_fits is True
    assert ticket.none_fits_reason == "I need a GPU."


def test_none_fits_is_not_offered_without_either_option(client, wizard_ticket, link_for):
    ticket = wizard_ticket(can_customize_computer=False, can_request_different_device=False)
    url = link_for(ticket)
    client.post(url + "location/", ADDRESS)
    page = client.get(url + "device/").content.decode()
    assert "None of these fits" not in page
    assert "not adequate" not in page
