"""The ITSM stub page and the effects page at size (issue 17): 50 a page, a
deep page, search, the empty states, and counts that follow writes at once."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from benchmarks.other_lists_seed import effects_seed, stub_tickets_seed
from common.effects import effect_retry_now, effect_run, enqueue_on_commit
from integrations.itsm.protocol import NewTicket
from integrations.itsm.stub import StubITSMClient
from tests.common.test_effects import PROBE

pytestmark = pytest.mark.django_db

STUB, EFFECTS = reverse("integrations:itsm_stub"), reverse("integrations:effects")


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(Role.REFRESH_MANAGER))
    return client


def _rows(response) -> list:
    return list(response.context["page"].object_list)


def test_stub_tickets_page_newest_first_with_task_counts_down_to_a_deep_page(staff):
    stub_tickets_seed(tag="t", count=120)
    first = staff.get(STUB)
    titles = [t.title for t in _rows(first)]
    assert titles[0] == "Refresh t 0000119"
    assert len(titles) == 50
    assert "Page 1 of 3 · 120 in all" in first.text
    assert "1 / 2" in first.text  # tasks done / tasks, for the rows shown
    last = staff.get(STUB, {"page": 3})
    assert [t.title for t in _rows(last)] == [f"Refresh t {i:07d}" for i in range(19, -1, -1)]
    assert all((t.done_count, t.task_count) == (1, 2) for t in _rows(last))


def test_stub_search_finds_a_title_an_email_or_an_id(staff):
    stub_tickets_seed(tag="t", count=120)
    assert [t.title for t in _rows(staff.get(STUB, {"q": "t 0000007"}))] == ["Refresh t 0000007"]
    by_email = _rows(staff.get(STUB, {"q": "person.t.3@"}))
    assert sorted(t.title for t in by_email) == ["Refresh t 0000003"]
    one = _rows(staff.get(STUB))[0]
    assert [t.pk for t in _rows(staff.get(STUB, {"q": str(one.pk)}))] == [one.pk]
    nothing = staff.get(STUB, {"q": "no such ticket"})
    assert _rows(nothing) == []
    assert "No ITSM tickets" in nothing.text


def test_stub_count_follows_a_new_ticket_at_once(staff, django_capture_on_commit_callbacks):
    stub_tickets_seed(tag="t", count=60)
    assert "60 in all" in staff.get(STUB).text  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        made = StubITSMClient().create_ticket(
            ticket=NewTicket(title="Fresh one", description="", requestor_email=""),
            task_titles=[],
            idempotency_key="fresh-count",
        )
    page = staff.get(STUB)
    assert "61 in all" in page.text
    assert _rows(page)[0].pk == int(made.id)


def _attention(count: int) -> list[int]:
    """The seeded effects the page lists, newest first (their target ids):
    failed (16, 17 of every 20), failing (18) and overdue (19)."""
    return [i for i in range(count) if i % 20 >= 16]


def test_effects_page_lists_only_stuck_effects_down_to_a_deep_page(staff):
    effects_seed(tag="t", count=300)
    first = staff.get(EFFECTS)
    assert [e.target_id for e in _rows(first)] == _attention(300)[:50]
    assert "Page 1 of 2 · 60 in all" in first.text
    assert [e.target_id for e in _rows(staff.get(EFFECTS, {"page": 2}))] == _attention(300)[50:]


def test_effects_page_empty_state(staff):
    effects_seed(tag="t", count=10)  # all done or on their first try
    page = staff.get(EFFECTS)
    assert _rows(page) == []
    assert "Nothing stuck" in page.text


def test_effects_count_follows_a_failure_and_a_retry_at_once(
    staff, make_user, django_capture_on_commit_callbacks
):
    effects_seed(tag="t", count=300)
    assert "60 in all" in staff.get(EFFECTS).text  # cached now
    with django_capture_on_commit_callbacks(execute=False):
        broken = enqueue_on_commit(PROBE, item_id=1, fail="bug")
    assert effect_run(effect_id=broken.pk) == "failed"
    page = staff.get(EFFECTS)
    assert "61 in all" in page.text
    assert _rows(page)[0].pk == broken.pk

    with django_capture_on_commit_callbacks(execute=False):
        effect_retry_now(effect_id=broken.pk, actor=make_user(Role.REFRESH_MANAGER))
    assert "60 in all" in staff.get(EFFECTS).text
