"""The approver's list (25 cards a page) and the batch pages (50 rows) at size (issue 17): a deep
page, only one's own tickets, the empty states, and counts that follow writes."""

import pytest
from django.urls import reverse

from accounts.scale import scale_people_seed
from benchmarks.other_lists_seed import approval_batch_seed
from refresh import services
from refresh.models import RefreshBatch, RefreshTicket

pytestmark = pytest.mark.django_db

APPROVALS, BATCHES = reverse("refresh:approval_list"), reverse("refresh:batch_list")


@pytest.fixture
def seeded(approver):
    """120 tickets waiting for ``approver``, one batch of their 120 serials and
    one more small batch; ticket i changed i minutes ago."""
    people = scale_people_seed(tag="t", people=5, teams=1)
    return approval_batch_seed(people=people, tag="t", count=120, approver=approver)


def _numbers(response) -> list[str]:
    return [t.number for t in response.context["page"].object_list]


def _oldest_first() -> list[str]:
    tickets = RefreshTicket.objects.order_by("status_changed_at", "id")
    return [t.number for t in tickets]


def test_approvals_page_oldest_first_25_a_page_down_to_a_deep_page(client, approver, seeded):
    client.force_login(approver)
    expected = _oldest_first()
    first = client.get(APPROVALS)
    assert _numbers(first) == expected[:25]
    assert "Page 1 of 5 · 120 in all" in first.text
    assert "Select all 25 on this page" in first.text
    assert _numbers(client.get(APPROVALS, {"page": 4})) == expected[75:100]
    assert _numbers(client.get(APPROVALS, {"page": 5})) == expected[100:]


def test_approvals_page_shows_only_the_approvers_own_tickets(client, make_user, seeded):
    from accounts.roles import Role

    other = make_user(Role.APPROVER)
    client.force_login(other)
    page = client.get(APPROVALS)
    assert _numbers(page) == []
    assert "Nothing is waiting for your approval." in page.text


def test_approving_drops_the_ticket_from_the_count_at_once(
    client, approver, seeded, django_capture_on_commit_callbacks
):
    client.force_login(approver)
    assert "120 in all" in client.get(APPROVALS).text  # cached now
    oldest = RefreshTicket.objects.order_by("status_changed_at", "id").first()
    with django_capture_on_commit_callbacks(execute=False):
        services.ticket_approve(ticket=oldest, approver=approver)
    page = client.get(APPROVALS)
    assert "119 in all" in page.text
    assert oldest.number not in _numbers(page)


def test_batch_tickets_table_50_a_page_in_position_order(client, admin, seeded):
    client.force_login(admin)
    detail = reverse("refresh:batch_detail", args=[seeded.batch.pk])
    first = client.get(detail)
    assert [r.position for r in first.context["page"].object_list] == list(range(1, 51))
    assert "Page 1 of 3 · 120 in all" in first.text
    last = client.get(detail, {"page": 3})
    rows = list(last.context["page"].object_list)
    assert [r.position for r in rows] == list(range(101, 121))
    assert all(r.ticket.batch_id == seeded.batch.pk for r in rows)
    assert rows[0].ticket.number in last.text


def test_batch_list_pages_with_ticket_counts_and_follows_new_batches(client, admin, seeded):
    client.force_login(admin)
    for i in range(60):
        RefreshBatch.objects.create(name=f"Old batch {i:02d}", config=seeded.config)
    RefreshBatch.objects.filter(name__startswith="Old batch").update(
        created_at=seeded.batch.created_at.replace(year=2020)
    )
    first = client.get(BATCHES)
    shown = list(first.context["page"].object_list)
    assert {b.name for b in shown[:2]} == {"Bench t batch", "Bench t batch 00000"}
    counts = {b.name: b.ticket_count for b in shown}
    assert counts["Bench t batch"] == 120
    assert counts["Bench t batch 00000"] == 0
    assert "Page 1 of 2 · 62 in all" in first.text
    deep = client.get(BATCHES, {"page": 2})
    assert len(deep.context["page"].object_list) == 12
    assert all(b.name.startswith("Old batch") for b in deep.context["page"].object_list)

    services.batch_create(name="Newest", config=seeded.config, serials_text="SN-1", actor=admin)
    again = client.get(BATCHES)
    assert "63 in all" in again.text
    assert again.context["page"].object_list[0].name == "Newest"


def test_batch_list_empty_state(client, admin):
    client.force_login(admin)
    assert "No batches yet." in client.get(BATCHES).text
