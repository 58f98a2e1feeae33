import pytest
from django.utils import timezone

from refresh.choices import TicketStatus
from scheduling.exceptions import SLOT_UNAVAILABLE_MESSAGE

pytestmark = pytest.mark.django_db
S = TicketStatus


def test_pick_slot_lists_days_and_get_does_not_book(client, flow, link_for, make_slot):
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    slot = make_slot(days=4)
    response = client.get(link_for(ticket, "refresh_pick_slot"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Pick a delivery time" in content
    assert f'value="{slot.pk}"' in content
    assert response.context["days"][0]["day"] == timezone.localdate(slot.start)
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_booking_shows_the_appointment(client, flow, link_for, make_slot):
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    slot = make_slot(days=4)
    url = link_for(ticket, "refresh_pick_slot")
    response = client.post(url, {"slot_id": slot.pk})
    assert response.status_code == 200
    assert "Your appointment is booked" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.DELIVERY_SCHEDULED
    assert ticket.booking.slot_id == slot.pk
    # The link's step is done now.
    assert client.get(url).status_code == 410


def test_slot_taken_shows_message_and_fresh_list(client, flow, link_for, make_slot):
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    full = make_slot(days=4, capacity=1)
    other = make_slot(days=5)
    full.booked_count = 1
    full.save(update_fields=["booked_count"])
    response = client.post(link_for(ticket, "refresh_pick_slot"), {"slot_id": full.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert SLOT_UNAVAILABLE_MESSAGE in content
    assert f'value="{other.pk}"' in content
    assert f'value="{full.pk}"' not in content
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING


def test_reschedule_moves_the_booking_until_the_day_before(client, flow, link_for, make_slot):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    old_slot_id = ticket.booking.slot_id
    new_slot = make_slot(days=6)
    url = link_for(ticket, "refresh_reschedule")
    page = client.get(url)
    assert page.status_code == 200
    assert "Your current appointment" in page.content.decode()
    response = client.post(url, {"slot_id": new_slot.pk})
    assert "Your appointment is moved" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.DELIVERY_SCHEDULED
    assert ticket.booking.slot_id == new_slot.pk
    assert ticket.booking.slot_id != old_slot_id


def test_reschedule_link_closes_the_day_before(client, flow, link_for):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    ticket.delivery_at = timezone.now()
    type(ticket).objects.filter(pk=ticket.pk).update(delivery_at=ticket.delivery_at)
    assert client.get(link_for(ticket, "refresh_reschedule")).status_code == 410


def test_slot_taken_during_booking(client, flow, link_for, make_slot, monkeypatch):
    import scheduling.services
    from scheduling.exceptions import SlotUnavailable

    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    slot = make_slot(days=4)

    def taken(**kwargs):
        raise SlotUnavailable

    monkeypatch.setattr(scheduling.services, "booking_create", taken)
    response = client.post(link_for(ticket, "refresh_pick_slot"), {"slot_id": slot.pk})
    assert response.status_code == 200
    assert SLOT_UNAVAILABLE_MESSAGE in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING
