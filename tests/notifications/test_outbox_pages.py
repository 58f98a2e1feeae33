"""The outbox at size (issue 17): 50 a page newest first, filters, a deep page,
the empty states, and a count that follows new emails at once."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.scale import scale_people_seed
from benchmarks.other_lists_seed import emails_seed
from notifications.services import email_deliver, email_queue

pytestmark = pytest.mark.django_db

OUTBOX = reverse("notifications:outbox")


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    return client


@pytest.fixture
def emails():
    """120 emails "Your new computer t 0000000" (newest) ... "t 0000119" (oldest);
    of every 20, 17 sent, 2 failed (17th and 18th), 1 queued."""
    emails_seed(people=scale_people_seed(tag="t", people=5, teams=1), tag="t", count=120)


def _subjects(response) -> list[str]:
    return [e.subject for e in response.context["page"].object_list]


def test_pages_of_50_newest_first_down_to_a_deep_last_page(staff, emails):
    first = staff.get(OUTBOX)
    assert _subjects(first)[:2] == ["Your new computer t 0000000", "Your new computer t 0000001"]
    assert len(_subjects(first)) == 50
    assert "Page 1 of 3 · 120 in all" in first.text
    last = staff.get(OUTBOX, {"page": 3})
    assert _subjects(last) == [f"Your new computer t {i:07d}" for i in range(100, 120)]
    assert 'rel="prev"' in last.text
    assert 'rel="next"' not in last.text


def test_status_filter_and_search_show_only_matching_emails(staff, emails):
    failed = staff.get(OUTBOX, {"status": "failed"})
    assert _subjects(failed) == [
        f"Your new computer t {i:07d}" for i in range(120) if i % 20 in (17, 18)
    ]
    assert all(e.status == "failed" for e in failed.context["page"].object_list)
    found = staff.get(OUTBOX, {"q": "t 0000117"})
    assert _subjects(found) == ["Your new computer t 0000117"]
    # A recipient matches too.
    by_recipient = staff.get(OUTBOX, {"q": "scale.t.3@"})
    assert len(by_recipient.context["page"].paginator.object_list) == 24


def test_empty_states(staff, emails):
    nothing = staff.get(OUTBOX, {"q": "no such subject"})
    assert "Nothing matches these filters." in nothing.text
    assert _subjects(nothing) == []


def test_empty_outbox_says_so(staff):
    assert "Emails appear here as soon as Handover sends one." in staff.get(OUTBOX).text


def test_count_follows_a_new_email_and_a_status_change_at_once(
    staff, emails, django_capture_on_commit_callbacks
):
    from tests.orders.factories import OrderFactory

    assert "120 in all" in staff.get(OUTBOX).text  # now cached
    queued = staff.get(OUTBOX, {"status": "queued"}).context["page"].paginator.count
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=False):
        email = email_queue(
            key="fresh",
            template="orders_update",
            to=["new.person@example.edu"],
            related=order,
            context={"order": order, "subject": "Brand new", "body": "b", "order_url": "/"},
        )
    page = staff.get(OUTBOX)
    assert "121 in all" in page.text
    assert email.subject in _subjects(page)[0]
    assert staff.get(OUTBOX, {"status": "queued"}).context["page"].paginator.count == queued + 1

    email_deliver(email_id=email.pk)
    assert staff.get(OUTBOX, {"status": "queued"}).context["page"].paginator.count == queued
