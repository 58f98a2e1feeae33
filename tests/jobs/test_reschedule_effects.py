"""Reschedules and appointments (DESIGN.md §3): the ITSM hears of every change;
the customer gets a notice only when staff move the appointment or release it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from integrations.models import StubITSMTicket
from notifications.models import OutboundEmail
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.services import jobs

S = TicketStatus
pytestmark = pytest.mark.django_db(transaction=True)


def emails(template):
    return OutboundEmail.objects.filter(template=template)


def test_staff_moving_the_slot_updates_the_itsm_and_sends_a_new_appointment_notice(
    flow, make_slot, admin
):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    assert not emails("refresh_job_new_appointment").exists()  # the wizard confirms bookings
    later = make_slot(days=6)
    services.ticket_book_slot(ticket=ticket, slot_id=later.pk, actor=admin, actor_label="staff")

    ticket.refresh_from_db()
    assert ticket.status == S.DELIVERY_SCHEDULED
    notice = emails("refresh_job_new_appointment").get()
    assert notice.to == [ticket.user.email]
    assert "has a new time" in notice.body_text
    assert notice.attachments[0]["filename"] == "appointment.ics"
    stub = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id)
    assert stub.appointment_start == later.start
    # A retry of the effect sends nothing more.
    jobs.ticket_appointment_booked_notify(ticket_id=ticket.pk, moved=True)
    assert emails("refresh_job_new_appointment").count() == 1


def test_reschedule_request_tells_the_itsm_and_asks_for_a_new_time(flow):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    before = len(StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id).feed)
    offered = emails("refresh_job_pick_slot").count()
    services.ticket_request_reschedule(ticket=ticket, actor_label="customer")

    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING
    stub = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id)
    assert len(stub.feed) > before
    assert "released" in str(stub.feed[-1])
    latest = emails("refresh_job_pick_slot").order_by("-pk").first()
    assert emails("refresh_job_pick_slot").count() == offered + 1
    assert "Pick a new day and time" in latest.body_text
    assert "/refresh/c/" in latest.body_text


def test_no_customer_ticket_gets_the_generic_midnight_slot_in_the_itsm_and_no_email(flow):
    detroit = ZoneInfo("America/Detroit")
    with time_machine.travel(dt.datetime(2026, 12, 4, 15, tzinfo=detroit), tick=False):  # Friday
        ticket = flow.new(style=RefreshStyle.NO_CUSTOMER)
        ticket = flow.advance(ticket, S.PENDING_ITSM_EXISTENCE)
        from integrations.models import StubITSMAsset

        StubITSMAsset.objects.create(serial_number=ticket.replacement_system.serial_number)
        assert jobs.ticket_itsm_existence_lookup(ticket_id=ticket.pk)

    ticket.refresh_from_db()
    assert ticket.status == S.DELIVERY_SCHEDULED
    local = ticket.delivery_at.astimezone(detroit)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 12, 7), 0, 0)  # Monday
    stub = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id)
    assert stub.appointment_start == ticket.delivery_at
    assert not OutboundEmail.objects.filter(template__startswith="refresh_job_").exists()


def test_batched_lookups_advance_the_found_and_record_the_rest_in_one_update(
    flow, django_assert_max_num_queries
):
    from integrations.models import StubITSMAsset, StubSettings

    tickets = [flow.to(S.PENDING_ITSM_EXISTENCE) for _ in range(3)]
    StubITSMAsset.objects.create(serial_number=tickets[0].replacement_system.serial_number)
    ids = [t.pk for t in tickets]
    StubSettings.objects.update_or_create(pk=1, defaults={"itsm_outage": True})
    assert jobs.tickets_itsm_existence_lookup_batch(ticket_ids=ids)["waiting_on_itsm"] == 3
    StubSettings.objects.filter(pk=1).update(itsm_outage=False)

    result = jobs.tickets_itsm_existence_lookup_batch(ticket_ids=ids)
    assert result == {"found": 1, "missing": 2, "waiting_on_itsm": 0}
    statuses = [t.__class__.objects.get(pk=t.pk) for t in tickets]
    assert statuses[0].status == S.PENDING_SLOT_DISCOVERY
    assert [t.status for t in statuses[1:]] == [S.PENDING_ITSM_EXISTENCE] * 2
    assert statuses[1].itsm_lookup_attempts >= 2  # the outage and the miss both count
    # Nothing found: the write is one UPDATE for the whole batch, whatever its size.
    with django_assert_max_num_queries(8):
        jobs.tickets_itsm_existence_lookup_batch(ticket_ids=ids[1:])


def test_no_customer_ticket_gets_a_real_booking_on_the_generic_slot(flow, team, make_slot):
    """Issue 11, item 4: a booking on the team's generic 12 AM slot, created once per
    day, shown on the calendar, never offered to customers nor taking their capacity."""
    from integrations.models import StubITSMAsset
    from scheduling.selectors import calendar_week, free_capacity_by_team, slots_bookable

    detroit = ZoneInfo("America/Detroit")
    tickets = []
    with time_machine.travel(dt.datetime(2026, 12, 4, 15, tzinfo=detroit), tick=False):  # Friday
        customer_slot = make_slot(days=3, capacity=2)
        for _ in range(2):
            ticket = flow.advance(
                flow.new(style=RefreshStyle.NO_CUSTOMER), S.PENDING_ITSM_EXISTENCE
            )
            StubITSMAsset.objects.create(serial_number=ticket.replacement_system.serial_number)
            assert jobs.ticket_itsm_existence_lookup(ticket_id=ticket.pk)
            ticket.refresh_from_db()
            tickets.append(ticket)
        first, second = tickets
        assert first.status == second.status == S.DELIVERY_SCHEDULED
        slot = first.booking.slot
        assert second.booking.slot == slot  # one generic slot per team and day
        assert slot.generic
        assert slot.team == team
        local = slot.start.astimezone(detroit)
        assert (local.date(), local.hour, local.minute) == (dt.date(2026, 12, 7), 0, 0)
        slot.refresh_from_db()
        assert (slot.booked_count, slot.capacity) == (2, 2)
        # Customers never see it and their capacity is untouched.
        assert list(slots_bookable(team=team)) == [customer_slot]
        window = (slot.start - dt.timedelta(days=1), slot.start + dt.timedelta(days=30))
        assert free_capacity_by_team(team_ids=[team.pk], start=window[0], end=window[1]) == {
            team.pk: 2
        }
        # It is on the staff calendar like every delivery.
        monday = next(d for d in calendar_week(day=dt.date(2026, 12, 7)) if d.slots)
        assert slot in monday.slots
    stub = StubITSMTicket.objects.get(pk=first.itsm_ticket_id)
    assert stub.appointment_start == slot.start
    assert not OutboundEmail.objects.filter(template__startswith="refresh_job_").exists()
