"""Tracking numbers of remote deliveries (issue #11 item 5) and the replacement's
group (item 12): what the customer's email says, when it goes, and the pages."""

import pytest
from django.urls import reverse

from integrations.models import StubITSMTicket
from notifications.models import OutboundEmail
from refresh import services
from refresh.choices import EventKind, RefreshStyle, TicketStatus
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import RefreshTicket

S = TicketStatus
UPS = "1Z999AA10123456784"
UPS_2 = "1Z999AA10123456799"

pytestmark = pytest.mark.django_db(transaction=True)


def tracking_emails():
    return OutboundEmail.objects.filter(template="refresh_job_tracking").order_by("pk")


@pytest.fixture
def shipped(flow):
    """A remote ticket waiting for delivery: its replacement is known."""
    return flow.to(S.PENDING_DELIVERY, style=RefreshStyle.REMOTE)


class TestTheCustomersEmail:
    def test_nothing_goes_before_the_tracking_number_is_known(self, shipped):
        assert tracking_emails().count() == 0

    def test_one_email_names_the_replacement_and_links_the_number(self, shipped, admin):
        services.ticket_set_tracking_number(ticket=shipped, tracking_number=UPS, actor=admin)

        [email] = tracking_emails()
        replacement = shipped.replacement_system
        assert email.subject.startswith("Your new computer is on its way")
        assert str(replacement.hardware_model) in email.body_text
        assert replacement.serial_number in email.body_text
        assert f"Tracking number: {UPS} (UPS)" in email.body_text
        assert f'<a href="https://www.ups.com/track?tracknum={UPS}">{UPS}</a>' in email.body_html

    def test_the_same_number_twice_sends_nothing_twice(self, shipped, admin):
        for _ in range(2):
            services.ticket_set_tracking_number(ticket=shipped, tracking_number=UPS, actor=admin)
        services.ticket_set_tracking_number(
            ticket=shipped, tracking_number=f" {UPS.lower()} ", actor=admin
        )
        assert tracking_emails().count() == 1
        assert shipped.events.filter(kind=EventKind.TRACKING).count() == 1

    def test_a_changed_number_sends_a_correction(self, shipped, admin):
        services.ticket_set_tracking_number(ticket=shipped, tracking_number=UPS, actor=admin)
        services.ticket_set_tracking_number(ticket=shipped, tracking_number=UPS_2, actor=admin)

        first, correction = tracking_emails()
        assert correction.subject.startswith("Correction: new tracking number")
        assert f"{UPS} is not your package" in correction.body_text
        assert f"Tracking number: {UPS_2} (UPS)" in correction.body_text
        assert UPS_2 not in first.body_text
        event = shipped.events.filter(kind=EventKind.TRACKING).order_by("pk").last()
        assert f"{UPS} → {UPS_2}" in event.summary

    def test_a_number_entered_early_goes_out_when_the_ticket_ships(self, flow, admin):
        from integrations.models import StubITSMAsset
        from refresh.services import jobs

        waiting = flow.to(S.PENDING_ITSM_EXISTENCE, style=RefreshStyle.REMOTE)
        services.ticket_set_tracking_number(
            ticket=waiting, tracking_number="9400111202555842761023", actor=admin
        )
        assert tracking_emails().count() == 0
        StubITSMAsset.objects.create(serial_number=waiting.replacement_system.serial_number)
        jobs.ticket_itsm_existence_lookup(ticket_id=waiting.pk)

        [email] = tracking_emails()
        assert "9400111202555842761023 (USPS)" in email.body_text
        assert "tools.usps.com" in email.body_text

    def test_only_plain_letters_and_digits_are_a_number(self, shipped, admin):
        with pytest.raises(RefreshError, match="is not a tracking number"):
            services.ticket_set_tracking_number(
                ticket=shipped, tracking_number="1ZÄÖ9", actor=admin
            )

    def test_only_open_remote_tickets_take_a_number(self, flow, admin):
        on_prem = flow.to(S.PENDING_ORDERING)
        with pytest.raises(RefreshError, match="only remote tickets ship"):
            services.ticket_set_tracking_number(ticket=on_prem, tracking_number=UPS, actor=admin)
        on_prem.refresh_from_db()
        assert on_prem.tracking_number == ""

    def test_a_manager_may_not_enter_numbers(self, shipped, manager):
        with pytest.raises(TransitionDenied):
            services.ticket_set_tracking_number(ticket=shipped, tracking_number=UPS, actor=manager)


class TestBulkPaste:
    def test_a_refused_line_saves_nothing_and_says_why_per_line(self, flow, shipped, admin):
        other = flow.to(S.PENDING_DELIVERY, style=RefreshStyle.REMOTE)
        text = (
            f"{shipped.number}, {UPS}, UPS\n"
            f"{other.existing_system.serial_number}\t{UPS_2}\n"
            "NO-SUCH-SERIAL, 1Z1\n"
            f"{other.number}, 12345, pigeon\n"
        )
        report = services.tickets_set_tracking_bulk(text=text, actor=admin)

        assert not report.applied
        assert [row.ok for row in report.rows] == [True, True, False, False]
        assert "no open ticket has the number or serial NO-SUCH-SERIAL" in report.rows[2].message
        assert "Unknown carrier" in report.rows[3].message
        assert RefreshTicket.objects.exclude(tracking_number="").count() == 0
        assert tracking_emails().count() == 0

    def test_all_lines_good_saves_each_and_emails_each_once(self, flow, shipped, admin):
        other = flow.to(S.PENDING_DELIVERY, style=RefreshStyle.REMOTE)
        text = (
            f"{shipped.number}, {UPS}, UPS\n"
            f"{other.replacement_system.serial_number}, 123456789012, fedex\n"
        )
        report = services.tickets_set_tracking_bulk(text=text, actor=admin)
        again = services.tickets_set_tracking_bulk(text=text, actor=admin)

        assert report.applied
        assert again.applied
        assert "already recorded" in again.rows[0].message
        other.refresh_from_db()
        assert (other.tracking_number, other.tracking_carrier) == ("123456789012", "fedex")
        assert tracking_emails().count() == 2
        fedex = tracking_emails().get(to=[other.user.email])
        assert "https://www.fedex.com/fedextrack/?trknbr=123456789012" in fedex.body_text

    def test_the_page_shows_the_report_and_keeps_what_was_pasted(self, client, shipped, admin):
        client.force_login(admin)
        text = f"{shipped.number}, {UPS}\nRT-99999, 1Z2"
        page = client.post(reverse("refresh:tracking_bulk"), {"lines": text})

        body = page.content.decode()
        assert page.status_code == 200
        assert "Nothing was saved" in body
        assert "no open ticket has the number or serial RT-99999" in body
        assert "RT-99999, 1Z2</textarea>" in body
        shipped.refresh_from_db()
        assert shipped.tracking_number == ""


class TestDetailPage:
    def test_staff_enter_the_number_on_the_ticket(self, client, shipped, admin):
        client.force_login(admin)
        url = reverse("refresh:ticket_tracking", args=[shipped.pk])
        response = client.post(url, {"tracking_number": UPS, "carrier": ""})

        assert response.status_code == 302
        page = client.get(reverse("refresh:ticket_detail", args=[shipped.pk])).content.decode()
        assert f'href="https://www.ups.com/track?tracknum={UPS}">{UPS}</a> (UPS)' in page
        assert "emailed to the customer" in page

    def test_a_bad_number_is_shown_again_with_the_reason(self, client, shipped, admin):
        client.force_login(admin)
        url = reverse("refresh:ticket_tracking", args=[shipped.pk])
        response = client.post(url, {"tracking_number": "1Z-99/ÄÖ", "carrier": ""})

        assert response.status_code == 400
        body = response.content.decode()
        assert "is not a tracking number" in body
        assert 'value="1Z-99/ÄÖ"' in body


class TestGroup:
    def test_config_group_shows_on_list_and_detail_and_a_ticket_overrides_it(
        self, client, flow, admin
    ):
        ticket = flow.to(S.PENDING_ORDERING)
        ticket.config.replacement_group = "Lab machines"
        ticket.config.save()
        client.force_login(admin)
        listing = client.get(reverse("refresh:ticket_list")).content.decode()
        assert "Group: Lab machines" in listing
        detail = reverse("refresh:ticket_detail", args=[ticket.pk])
        assert "Lab machines" in client.get(detail).content.decode()

        response = client.post(
            reverse("refresh:ticket_group", args=[ticket.pk]), {"group": "Faculty laptops"}
        )
        assert response.status_code == 302
        page = client.get(detail).content.decode()
        assert "Faculty laptops" in page
        assert "the config says Lab machines" in page
        assert (
            "Group: Faculty laptops" in client.get(reverse("refresh:ticket_list")).content.decode()
        )

    def test_the_itsm_hears_the_group_with_the_replacement(self, flow, admin):
        from tests.refresh.factories import StockSystemFactory

        ticket = flow.to(S.PENDING_ORDERING, style=RefreshStyle.REMOTE)
        ticket.config.replacement_group = "Remote staff"
        ticket.config.save()
        replacement = StockSystemFactory()
        services.tickets_assign_replacements_bulk(assignments=[(ticket, replacement)], actor=admin)

        def notes():
            feed = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id).feed
            return [e["text"] for e in feed if e["text"].startswith("Replacement ")]

        [note] = notes()
        assert f"Replacement {replacement.serial_number}" in note
        assert note.endswith("Group: Remote staff.")
        services.ticket_set_group(ticket=ticket, group="Executives", actor=admin)
        services.ticket_set_group(ticket=ticket, group="Executives", actor=admin)
        assert [n.rsplit("Group: ", 1)[1] for n in notes()] == ["Remote staff.", "Executives."]
