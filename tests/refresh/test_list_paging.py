"""Issue #17: the ticket list's pages and the ticket page's timelines stay cheap
at any size and still show every row.

The list takes a page's keys first (a page past the middle from the other end of
the sort) and loads the rows shown; the ticket page shows the newest entries of
each timeline and pages back to the oldest through plain links."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from notifications.models import OutboundEmail
from refresh import services
from refresh.models import RefreshTicket
from refresh.selectors import TIMELINE_PAGE
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = pytest.mark.django_db

NAMES = ["Hal", "ada", "Cy", "Bo", "eve", "Gus", "Fay", "Dee", "Ida"]


@pytest.fixture
def tickets():
    teams = [SupportTeamFactory(name=f"Team {c}") for c in "CAB"]
    return [
        services.ticket_create(
            system=SystemFactory(current_user=UserFactory(full_name=name)),
            config=RefreshConfigFactory(support_team=teams[i % 3]),
        )
        for i, name in enumerate(NAMES)
    ]


def _page(client, sort, page):
    response = client.get(reverse("refresh:ticket_list"), {"sort": sort, "page": page})
    assert response.status_code == 200
    return [row["id"] for row in response.context["rows"]], response.content.decode()


@pytest.mark.parametrize("sort", ["-created", "created", "user", "team", "status", "-serial"])
def test_every_page_shows_its_slice_of_the_sorted_list(client, admin, tickets, sort, monkeypatch):
    monkeypatch.setattr("refresh.views.tickets.PAGE_SIZE", 2)
    client.force_login(admin)
    expected = {
        "-created": sorted(tickets, key=lambda t: (t.created_at, t.pk), reverse=True),
        "created": sorted(tickets, key=lambda t: (t.created_at, t.pk)),
        "user": sorted(tickets, key=lambda t: (t.user.full_name.lower(), t.pk)),
        "team": sorted(
            sorted(tickets, key=lambda t: (t.created_at, t.pk), reverse=True),
            key=lambda t: t.support_team.name.lower(),
        ),
        "status": sorted(tickets, key=lambda t: (t.created_at, t.pk), reverse=True),
        "-serial": sorted(tickets, key=lambda t: t.existing_system.serial_number, reverse=True),
    }[sort]
    shown = []
    # Pages 1-2 read from the front; 3-5 (past the middle of 9) from the back.
    for number in range(1, 6):
        ids, html = _page(client, sort, number)
        assert ids == [t.pk for t in expected[(number - 1) * 2 : number * 2]], number
        shown += ids
        # The page links keep working: Next leads to the next page number.
        if number < 5:
            assert f"page={number + 1}" in html
    assert shown == [t.pk for t in expected]


def _timeline_titles(html, section):
    return html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]


def test_the_timelines_show_the_newest_entries_and_page_back_to_the_oldest(client, admin):
    client.force_login(admin)
    ticket = services.ticket_create(system=SystemFactory(), config=RefreshConfigFactory())
    total = TIMELINE_PAGE + 5
    for i in range(total):
        services.ticket_record_event(
            ticket=ticket, kind="comment", summary=f"Event number {i:03d}", actor=admin
        )
    kind = ContentType.objects.get_for_model(RefreshTicket)
    for i in range(total):
        OutboundEmail.objects.create(
            key=f"paging-{i}",
            template="refresh_test",
            to=["a@example.edu"],
            subject=f"Email number {i:03d}",
            related_type=kind,
            related_id=str(ticket.pk),
        )
    while ticket.audits.count() < total:
        ticket = services.ticket_hold(ticket=ticket, actor=admin, note="held")
        ticket = services.ticket_resume(ticket=ticket, actor=admin)
    url = reverse("refresh:ticket_detail", args=[ticket.pk])

    html = client.get(url).content.decode()
    events = _timeline_titles(html, "h-events")
    # The newest page: the latest entries, oldest of them first; not the oldest.
    assert f"Event number {total - 1:03d}" in events
    assert "Event number 000" not in events
    assert events.index(f"Event number {total - 2:03d}") < events.index(
        f"Event number {total - 1:03d}"
    )
    assert "Email number 000" not in _timeline_titles(html, "h-emails")
    # The creation (from no status) is the oldest audit row.
    assert "— → Pending invite" not in _timeline_titles(html, "h-audit")

    # Follow "Older entries" of each timeline as a person would, with no JavaScript.
    for section, oldest in (
        ("h-events", "Event number 000"),
        ("h-emails", "Email number 000"),
        ("h-audit", "— → Pending invite"),
    ):
        page_html = html
        for _ in range(10):
            block = _timeline_titles(page_html, section)
            if oldest in block:
                break
            older = re.search(r'href="\?([^"]*)" rel="next">Older entries', block)
            assert older, f"{section}: no way to older entries"
            page_html = client.get(f"{url}?{older.group(1).replace('&amp;', '&')}").content
            page_html = page_html.decode()
        else:
            pytest.fail(f"{section}: the oldest entry was never reached")
        assert 'rel="prev">Newer entries' in _timeline_titles(page_html, section)
        # The other timelines stay on their newest page.
        assert f"Event number {total - 1:03d}" in page_html or section == "h-events"


def test_a_timeline_page_past_the_end_says_so_and_links_back(client, admin):
    client.force_login(admin)
    ticket = services.ticket_create(system=SystemFactory(), config=RefreshConfigFactory())
    url = reverse("refresh:ticket_detail", args=[ticket.pk])
    html = client.get(url, {"events": "7", "audits": "0"}).content.decode()
    assert "No older events." in html
    assert 'rel="prev">Newer entries' in _timeline_titles(html, "h-events")
    # audits=0 is read as the first page: the creation shows.
    assert "— → Pending invite" in _timeline_titles(html, "h-audit")
