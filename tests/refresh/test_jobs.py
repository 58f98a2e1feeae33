"""The refresh jobs and after-transition effects, at the business-time edges.

The ITSM is the database-backed stub (the default adapter); emails go through
the outbound log, so counting log rows counts what customers would receive.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from integrations.models import (
    StubIdempotencyKey,
    StubITSMAsset,
    StubITSMTicket,
    StubSettings,
    StubSlackMessage,
)
from notifications.models import AccessLink, OutboundEmail
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from refresh.services import jobs
from tests.refresh.factories import HardwareModelFactory, StockSystemFactory

S = TicketStatus
DETROIT = ZoneInfo("America/Detroit")


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=DETROIT)


def emails(template):
    return OutboundEmail.objects.filter(template=template)


# Real commits, so after-commit effects (and the eager tasks they enqueue) run
# exactly when they would in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def effects():
    """Marks the tests that rely on after-commit effects (they run on each commit)."""


@pytest.fixture
def new_ticket(flow):
    def _new(when=None, **kwargs):
        with time_machine.travel(when or at(2026, 12, 1), tick=False):
            return flow.new(**kwargs)

    return _new


class TestInvites:
    def test_invite_goes_at_1005_the_next_business_day_once(self, new_ticket, effects):
        ticket = new_ticket(at(2026, 12, 1, 17, 59))  # Tuesday, before 18:00
        assert ticket.invite_at == at(2026, 12, 2, 10, 5)
        with time_machine.travel(at(2026, 12, 2, 10, 4), tick=False):
            assert jobs.tickets_send_due_invites() == 0
        with time_machine.travel(at(2026, 12, 2, 10, 6), tick=False):
            assert jobs.tickets_send_due_invites() == 1
            assert jobs.tickets_send_due_invites() == 0  # running twice sends nothing twice
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_CUSTOMER
        invite = emails("refresh_job_invite").get()
        assert invite.to == [ticket.user.email]
        assert "/refresh/c/" in invite.body_text
        assert AccessLink.objects.filter(purpose="refresh_wizard").count() == 1

    def test_delegate_gets_the_invite_instead_of_the_vip(self, flow, make_user, effects):
        delegate = make_user(email="assistant@example.edu")
        with time_machine.travel(at(2026, 12, 1), tick=False):
            ticket = flow.new()
            RefreshTicket.objects.filter(pk=ticket.pk).update(delegate=delegate)
        with time_machine.travel(at(2026, 12, 2, 11), tick=False):
            jobs.tickets_send_due_invites()
        assert emails("refresh_job_invite").get().to == ["assistant@example.edu"]

    def test_no_customer_tickets_never_get_email(self, new_ticket, effects):
        ticket = new_ticket(style=RefreshStyle.NO_CUSTOMER)
        assert ticket.status == S.PENDING_ORDERING
        with time_machine.travel(at(2026, 12, 30, 11), tick=False):
            jobs.tickets_send_due_invites()
            jobs.tickets_send_due_reminders()
        assert not OutboundEmail.objects.filter(template__startswith="refresh_job_").exists()


class TestRemindersAndDeadline:
    def test_reminders_at_plus_5_and_10_business_days_then_location_info(self, new_ticket, effects):
        ticket = new_ticket(at(2026, 12, 1))
        with time_machine.travel(at(2026, 12, 2, 10, 6), tick=False):
            jobs.tickets_send_due_invites()
        with time_machine.travel(at(2026, 12, 9, 10, 4), tick=False):
            assert jobs.tickets_send_due_reminders() == 0
        with time_machine.travel(at(2026, 12, 9, 10, 6), tick=False):
            assert jobs.tickets_send_due_reminders() == 1
            assert jobs.tickets_send_due_reminders() == 0
        with time_machine.travel(at(2026, 12, 16, 10, 6), tick=False):
            assert jobs.tickets_send_due_reminders() == 1
        assert emails("refresh_job_reminder").count() == 2
        with time_machine.travel(at(2026, 12, 22, 10, 4), tick=False):
            assert jobs.tickets_expire_past_wizard_deadline() == 0
        with time_machine.travel(at(2026, 12, 22, 10, 6), tick=False):
            assert jobs.tickets_expire_past_wizard_deadline() == 1
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_LOCATION_INFO

    def test_user_specified_location_reminders_stress_the_location(self, new_ticket, effects):
        ticket = new_ticket(style=RefreshStyle.USER_SPECIFIED_LOCATION)
        ticket.config.unit_specified_location = "Room B-12, badge access"
        ticket.config.save()
        with time_machine.travel(at(2026, 12, 2, 11), tick=False):
            jobs.tickets_send_due_invites()
        with time_machine.travel(at(2026, 12, 9, 11), tick=False):
            jobs.tickets_send_due_reminders()
        assert "Room B-12, badge access" in emails("refresh_job_reminder").get().body_text


class TestITSM:
    def test_one_itsm_ticket_with_tasks_and_one_slack_message_per_on_prem_ticket(
        self, new_ticket, effects
    ):
        ticket = new_ticket()
        ticket.refresh_from_db()
        assert ticket.itsm_ticket_id
        stub = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id)
        assert stub.tasks.count() == len(jobs.ITSM_TASK_TITLES)
        jobs.ticket_itsm_ticket_ensure(ticket_id=ticket.pk)  # a retry creates nothing more
        assert StubITSMTicket.objects.count() == 1
        assert StubSlackMessage.objects.filter(team_name=ticket.support_team.name).count() == 1

    def test_existence_lookup_waits_until_the_asset_exists_then_routes_by_style(
        self, flow, effects
    ):
        with time_machine.travel(at(2026, 12, 1), tick=False):
            ticket = flow.to(S.PENDING_ITSM_EXISTENCE)
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_ITSM_EXISTENCE
        assert ticket.itsm_lookup_attempts >= 1
        assert "not in the ITSM yet" in ticket.itsm_lookup_error
        StubITSMAsset.objects.create(serial_number=ticket.replacement_system.serial_number)
        jobs.tickets_itsm_existence_sweep()
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_SLOT_DISCOVERY

    def test_an_itsm_outage_leaves_tickets_waiting_and_nothing_is_lost(self, flow, effects):
        from integrations.itsm import TransientITSMError

        ticket = flow.to(S.PENDING_ITSM_EXISTENCE, style=RefreshStyle.REMOTE)
        StubITSMAsset.objects.create(serial_number=ticket.replacement_system.serial_number)
        StubSettings.objects.update_or_create(pk=1, defaults={"itsm_outage": True})
        with pytest.raises(TransientITSMError):
            jobs.ticket_itsm_existence_lookup(ticket_id=ticket.pk)
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_ITSM_EXISTENCE
        assert "unavailable" in ticket.itsm_lookup_error
        StubSettings.objects.filter(pk=1).update(itsm_outage=False)
        type(ticket).objects.filter(pk=ticket.pk).update(tracking_number="1Z999AA10123456784")
        assert jobs.ticket_itsm_existence_lookup(ticket_id=ticket.pk)
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_DELIVERY
        assert emails("refresh_job_tracking").count() == 1

    def test_daily_poll_marks_installed_then_complete(self, flow, effects):
        ticket = flow.to(S.PENDING_DELIVERY, style=RefreshStyle.REMOTE)
        StubITSMTicket.objects.filter(pk=ticket.itsm_ticket_id).update(status="installed")
        assert jobs.tickets_itsm_poll() == {"installed": 1, "complete": 0}
        StubITSMTicket.objects.filter(pk=ticket.itsm_ticket_id).update(status="closed")
        assert jobs.tickets_itsm_poll() == {"installed": 0, "complete": 1}
        ticket.refresh_from_db()
        assert ticket.status == S.COMPLETE

    def test_mac_engineering_is_emailed_once_per_assigned_mac(self, flow, admin, effects):
        from refresh.services import ticket_assign_replacement

        ticket = flow.to(S.PENDING_ORDERING, style=RefreshStyle.REMOTE)
        mac = StockSystemFactory(hardware_model=HardwareModelFactory(platform="mac"))
        ticket_assign_replacement(ticket=ticket, system=mac, actor=admin)
        ticket_assign_replacement(ticket=ticket, system=mac, actor=admin)
        assert emails("refresh_job_mac_engineering").count() == 1
        second = StockSystemFactory(hardware_model=HardwareModelFactory(platform="mac"))
        ticket_assign_replacement(ticket=ticket, system=second, actor=admin)
        sent = emails("refresh_job_mac_engineering").order_by("pk")
        assert sent.count() == 2
        assert mac.serial_number in sent[0].body_text
        assert second.serial_number in sent[1].body_text
        assert mac.serial_number not in sent[1].body_text

    def test_the_replacement_note_waits_for_the_create_effect_and_never_creates(
        self, flow, admin, effects
    ):
        """Only the create effect makes the ITSM ticket (two creators race the ITSM's
        find-before-create): the note waits; the Mac Engineering email does not."""
        from common.effects import EffectNotReady
        from refresh.services import ticket_assign_replacement

        ticket = flow.to(S.PENDING_ORDERING, style=RefreshStyle.REMOTE)
        mac = StockSystemFactory(hardware_model=HardwareModelFactory(platform="mac"))
        ticket_assign_replacement(ticket=ticket, system=mac, actor=admin)
        # As if the create effect had not run yet.
        StubITSMTicket.objects.all().delete()
        StubIdempotencyKey.objects.all().delete()
        RefreshTicket.objects.filter(pk=ticket.pk).update(itsm_ticket_id="")
        emails("refresh_job_mac_engineering").delete()

        with pytest.raises(EffectNotReady):
            jobs.ticket_replacement_assigned_notify(ticket_id=ticket.pk)
        assert not StubITSMTicket.objects.exists()
        assert emails("refresh_job_mac_engineering").count() == 1

    def test_bump_down_windows_replacement_named_at_creation_closes_prestage(self, flow, effects):
        ticket = flow.new(style=RefreshStyle.BUMP_DOWN)
        ticket.refresh_from_db()
        assert ticket.replacement_system.platform == "windows"
        assert ticket.prestage_closed_at is not None
        task = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id).tasks.get(
            title=jobs.PRESTAGE_TASK
        )
        assert task.completed_at is not None

    def test_windows_replacement_closes_the_prestage_task(self, flow, admin, effects):
        from refresh.services import ticket_assign_replacement

        ticket = flow.to(S.PENDING_ORDERING)
        ticket_assign_replacement(ticket=ticket, system=StockSystemFactory(), actor=admin)
        ticket.refresh_from_db()
        assert ticket.prestage_closed_at is not None
        task = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id).tasks.get(
            title=jobs.PRESTAGE_TASK
        )
        assert task.completed_at is not None


class TestSlotDiscovery:
    def test_advances_oldest_first_only_as_far_as_free_capacity(self, flow, make_slot, effects):
        waiting = []
        for _ in range(3):
            ticket = flow.to(S.PENDING_ITSM_EXISTENCE)
            StubITSMAsset.objects.create(serial_number=ticket.replacement_system.serial_number)
            jobs.ticket_itsm_existence_lookup(ticket_id=ticket.pk)
            waiting.append(ticket)
        make_slot(days=5, capacity=2)
        assert jobs.tickets_discover_slots() == 2
        assert jobs.tickets_discover_slots() == 0  # the two offered places are spoken for
        statuses = [RefreshTicket.objects.get(pk=t.pk).status for t in waiting]
        assert statuses == [
            S.PENDING_CUSTOMER_SCHEDULING,
            S.PENDING_CUSTOMER_SCHEDULING,
            S.PENDING_SLOT_DISCOVERY,
        ]
        assert emails("refresh_job_pick_slot").count() == 2

    def test_booking_sends_a_calendar_invite_and_updates_the_itsm(self, flow, effects):
        ticket = flow.to(S.DELIVERY_SCHEDULED)
        booked = emails("refresh_job_booked").get()
        assert booked.to == [ticket.user.email]
        assert booked.attachments[0]["filename"] == "appointment.ics"
        assert "BEGIN:VCALENDAR" in booked.attachments[0]["content"]
        assert "/refresh/c/" in booked.body_text  # the link to change it
        assert not emails("refresh_job_new_appointment").exists()
        stub = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id)
        assert stub.appointment_start is not None
        # The delivery task hears of the appointment too.
        assert any("Deliver and set up" in entry["text"] for entry in stub.feed)


def test_approver_digest_is_a_status_report_once_a_week(flow, approver, effects, client):
    with time_machine.travel(at(2026, 11, 30, 9), tick=False):
        waiting = [flow.to(S.PENDING_APPROVAL, approval=True) for _ in range(2)]
        ordering = flow.to(S.PENDING_ORDERING, approval=True)
    with time_machine.travel(at(2026, 12, 4, 7), tick=False):
        assert jobs.approvers_send_digests() == 1
        assert jobs.approvers_send_digests() == 0
    digest = emails("refresh_job_digest").get()
    assert digest.to == [approver.email]
    text = digest.body_text
    assert "2 tickets waiting for your approval" in digest.body_text
    # Per config, grouped by status, the ones waiting for this approver first.
    assert f"== {waiting[0].config.name} ==" in text
    assert text.index("Pending approval (1)") < text.index("Pending ordering (1)")
    ticket = waiting[0]
    line = (
        f"- {ticket.number} · {ticket.user.display_name} · "
        f"{ticket.existing_system.serial_number} · 3 days in status"
    )
    assert line in text
    assert f"/refresh/approvals/{ticket.pk}/edit/" in text
    assert f"/refresh/approvals/{ordering.pk}/edit/" in text
    # The approvals link signs the approver in and lands on the approvals page.
    link = text.rsplit("approvals): ", 1)[1].strip()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)
    assert response.status_code == 302
    login_url = response["Location"]
    assert "next=/refresh/approvals/" in login_url.replace("%2F", "/")
    from tests.accounts.factories import PASSWORD

    signed_in = client.post(login_url, {"login": approver.email, "password": PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == "/refresh/approvals/"
    assert ticket.number in signed_in.content.decode()


def test_every_job_twice_sends_nothing_twice(flow, new_ticket, effects):
    for _ in range(2):
        new_ticket(at(2026, 12, 1))
    flow.to(S.PENDING_APPROVAL, approval=True)
    names = [
        "refresh-invites",
        "refresh-reminders",
        "refresh-wizard-deadlines",
        "refresh-itsm-existence-sweep",
        "refresh-slot-discovery",
        "refresh-appointment-reminders",
        "refresh-itsm-poll",
        "refresh-approver-digests",
        "deliver-pending-emails",
    ]
    counts = []
    for moment in (at(2026, 12, 4, 11), at(2026, 12, 11, 11)):
        with time_machine.travel(moment, tick=False):
            for _ in range(2):
                for name in names:
                    call_command("run_job", name, stdout=open("/dev/null", "w"))  # noqa: SIM115
                counts.append(OutboundEmail.objects.count())
    # The second run at each moment added nothing.
    assert counts[0] == counts[1]
    assert counts[2] == counts[3]
    assert emails("refresh_job_invite").count() == 2
    assert emails("refresh_job_reminder").count() == 2
    assert emails("refresh_job_digest").count() == 2  # one per ISO week


def test_run_job_names_the_jobs_on_a_wrong_name():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="refresh-invites"):
        call_command("run_job", "no-such-job")


def test_submitted_wizard_is_confirmed_and_approvers_are_asked_once(flow, approver, effects):
    ticket = flow.to(S.PENDING_APPROVAL, approval=True)
    confirmation = emails("refresh_job_submitted").get()
    assert confirmation.to == [ticket.user.email]
    assert "approves refresh requests first" in confirmation.body_text
    ask = emails("refresh_job_approval_needed").get()
    assert ask.to == [approver.email]
    assert "/refresh/approvals/" in ask.body_text
    assert jobs.ticket_send_wizard_submitted(ticket_id=ticket.pk) == 0  # a retry sends nothing


def test_submitted_wizard_without_approval_asks_nobody(flow, effects):
    flow.to(S.PENDING_ORDERING, style=RefreshStyle.REMOTE)
    assert "ordering your new computer" in emails("refresh_job_submitted").get().body_text
    assert not emails("refresh_job_approval_needed").exists()
