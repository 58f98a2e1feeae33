"""A slot admin deletes a slot that holds refresh bookings (issue 11, item 1):
each ticket goes back to its customer for a new time, in the same transaction,
with an audit row naming the slot admin, a pick-slot email and an ITSM note."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from integrations.models import StubITSMTicket
from notifications.models import OutboundEmail
from notifications.rendering import links_rendered
from refresh import services
from refresh.choices import TicketStatus
from refresh.models import RefreshTicketAudit
from scheduling.models import Booking

S = TicketStatus
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slot_admin(make_user):
    return make_user(Role.SCHEDULE_SLOT_ADMIN, is_staff=True, full_name="Sam Slots")


def test_deleting_a_booked_slot_asks_each_customer_for_a_new_time(
    client, flow, make_slot, slot_admin
):
    slot = make_slot(days=5, capacity=3)
    tickets = [flow.to(S.PENDING_CUSTOMER_SCHEDULING) for _ in range(2)]
    for ticket in tickets:
        services.ticket_book_slot(ticket=ticket, slot_id=slot.pk)
    picks_before = OutboundEmail.objects.filter(template="refresh_job_pick_slot").count()

    client.force_login(slot_admin)
    page = client.post(
        reverse("scheduling:slot_delete", args=[slot.pk]), {"cancel_bookings": "1"}, follow=True
    ).content.decode()

    assert "2 booking(s) cancelled; 2 customer(s) emailed to pick a new time." in page
    asks = OutboundEmail.objects.filter(template="refresh_job_pick_slot").order_by("pk")
    assert asks.count() == picks_before + 2
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING
        assert ticket.booking is None
        assert ticket.delivery_at is None
        audit = RefreshTicketAudit.objects.filter(ticket=ticket).latest("pk")
        assert (audit.from_status, audit.to_status) == (S.DELIVERY_SCHEDULED, ticket.status)
        assert audit.actor == slot_admin
        assert "deleted by Sam Slots" in audit.note
        email = asks.filter(related_id=str(ticket.pk)).latest("pk")
        assert email.to == [ticket.user.email]
        assert "the delivery time you booked is no longer available" in email.body_text
        assert "/refresh/c/" in email.body_text
        feed = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id).feed
        assert "deleted by the slot admin" in feed[-1]["text"]
    assert not Booking.objects.filter(slot=slot, cancelled_at__isnull=True).exists()


def test_the_fresh_link_lets_the_customer_book_again(client, flow, make_slot, slot_admin):
    from scheduling.services import slot_delete

    ticket = flow.to(S.DELIVERY_SCHEDULED)
    first_slot = ticket.booking.slot
    done = slot_delete(slot=first_slot, by=slot_admin, cancel_bookings=True)
    assert (done.cancelled, done.customers_asked) == (1, 1)

    email = OutboundEmail.objects.filter(template="refresh_job_pick_slot").latest("pk")
    link = next(w for w in links_rendered(email.body_text).split() if "/refresh/c/" in w)
    other = make_slot(days=7)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert f'value="{other.pk}"' in page.content.decode()
    assert f'value="{first_slot.pk}"' not in page.content.decode()
