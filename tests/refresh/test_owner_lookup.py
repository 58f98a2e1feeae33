"""Issue #11 item 11: a new ticket's user, support team and location come from the
ITSM's asset record (the stub's asset table), else the local system record; the
ticket's events say which source each came from."""

import pytest

from accounts.models import SupportTeam
from integrations.models import StubITSMAsset, StubSettings
from refresh.choices import EventKind, RefreshStyle
from refresh.services import jobs
from tests.accounts.factories import UserFactory
from tests.refresh.factories import SystemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def lookup_event(ticket):
    return ticket.events.get(kind=EventKind.OWNER_LOOKUP)


def test_the_itsm_owner_team_and_location_win_over_the_local_record(flow):
    owner = UserFactory(email="dana.owner@example.edu")
    team = SupportTeam.objects.create(name="Medical IT", email="medit@example.edu")
    system = SystemFactory(building="Old Hall", room="1")
    StubITSMAsset.objects.create(
        serial_number=system.serial_number,
        owner_email="Dana.Owner@example.edu",
        support_group="medical it",
        location="University Hospital, room B210",
    )
    from refresh import services
    from tests.refresh.factories import RefreshConfigFactory

    ticket = services.ticket_create(system=system, config=RefreshConfigFactory(), actor=None)

    ticket.refresh_from_db()
    assert ticket.user == owner
    assert ticket.support_team == team
    assert (ticket.location_building, ticket.location_room) == ("University Hospital", "B210")
    event = lookup_event(ticket)
    assert event.summary.startswith("User, support team, location from the ITSM (ITSM asset")
    assert event.payload["sources"] == {
        "user": "the ITSM",
        "support team": "the ITSM",
        "location": "the ITSM",
    }


def test_an_unknown_asset_keeps_the_local_record_and_says_so(flow):
    ticket = flow.new(style=RefreshStyle.ON_PREM)
    ticket.refresh_from_db()
    local_user = ticket.existing_system.current_user
    assert ticket.user == local_user
    assert ticket.location_building == "Main Hall"
    event = lookup_event(ticket)
    assert event.summary.startswith(
        "User, support team, location from the local system record. The ITSM has no asset"
    )


def test_partial_itsm_record_mixes_sources_and_names_what_it_could_not_use(flow):
    system = SystemFactory()
    StubITSMAsset.objects.create(
        serial_number=system.serial_number,
        owner_email="nobody-here@example.edu",
        location="Kresge, 300",
    )
    from refresh import services
    from tests.refresh.factories import RefreshConfigFactory

    ticket = services.ticket_create(system=system, config=RefreshConfigFactory(), actor=None)

    ticket.refresh_from_db()
    assert ticket.user == system.current_user
    assert ticket.location_building == "Kresge"
    summary = lookup_event(ticket).summary
    assert "User, support team from the local system record" in summary
    assert "Location from the ITSM" in summary
    assert "nobody-here@example.edu has no account here" in summary


def test_the_lookup_runs_once(flow):
    ticket = flow.new()
    assert not jobs.ticket_owner_lookup(ticket_id=ticket.pk)
    assert ticket.events.filter(kind=EventKind.OWNER_LOOKUP).count() == 1


def test_an_itsm_outage_is_retried_not_recorded_as_local(flow):
    from integrations.itsm import TransientITSMError

    StubSettings.objects.update_or_create(pk=1, defaults={"itsm_outage": True})
    ticket = flow.new()
    assert not ticket.events.filter(kind=EventKind.OWNER_LOOKUP).exists()
    with pytest.raises(TransientITSMError):
        jobs.ticket_owner_lookup(ticket_id=ticket.pk)
    StubSettings.objects.filter(pk=1).update(itsm_outage=False)
    assert jobs.ticket_owner_lookup(ticket_id=ticket.pk)
    assert "local system record" in lookup_event(ticket).summary
