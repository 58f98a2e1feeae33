import pytest

from accounts.roles import Role
from refresh.choices import EventKind, RefreshStyle, TicketStatus

pytestmark = pytest.mark.django_db
S = TicketStatus
URL = "/refresh/approvals/"


def _awaiting(flow, style=RefreshStyle.REMOTE):
    return flow.to(S.PENDING_APPROVAL, style=style, approval=True)


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_non_approver_gets_403(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get(URL).status_code == 403


def test_list_shows_only_my_tickets_with_choices(client, flow, approver, other_approver):
    mine = _awaiting(flow)
    theirs = _awaiting(flow)
    theirs.config.approvers.set([other_approver])
    client.force_login(approver)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert mine.number in content
    assert "Ann Arbor" in content
    assert theirs.number not in content


def test_approve_one(client, flow, approver):
    ticket = _awaiting(flow)
    client.force_login(approver)
    response = client.post(f"{URL}{ticket.pk}/approve/", follow=True)
    assert f"{ticket.number} approved." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING
    assert ticket.approved_by == approver


def test_other_approver_cannot_approve(client, flow, other_approver):
    ticket = _awaiting(flow)
    client.force_login(other_approver)
    assert client.post(f"{URL}{ticket.pk}/approve/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_APPROVAL


def test_return_needs_comment(client, flow, approver):
    ticket = _awaiting(flow)
    client.force_login(approver)
    response = client.post(f"{URL}{ticket.pk}/return/", {"note": ""}, follow=True)
    assert "Say what the customer should change." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_APPROVAL
    client.post(f"{URL}{ticket.pk}/return/", {"note": "Pick the smaller laptop."})
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER
    assert ticket.events.filter(kind=EventKind.COMMENT).exists()


def test_returned_ticket_shows_comment_in_wizard(client, flow, approver, link_for):
    ticket = _awaiting(flow)
    client.force_login(approver)
    client.post(f"{URL}{ticket.pk}/return/", {"note": "Pick the smaller laptop."})
    client.logout()
    page = client.get(link_for(ticket)).content.decode()
    assert "Pick the smaller laptop." in page


def test_bulk_approve_reports_each_row(client, flow, approver, other_approver):
    first, second = _awaiting(flow), _awaiting(flow)
    theirs = _awaiting(flow)
    theirs.config.approvers.set([other_approver])
    client.force_login(approver)
    response = client.post(
        f"{URL}bulk/", {"tickets": [first.pk, second.pk, theirs.pk]}, follow=True
    )
    content = response.content.decode()
    assert f"{first.number} approved." in content
    assert f"{second.number} approved." in content
    assert f"Ticket {theirs.pk}: not found" in content
    assert "2 of 3 approved." in content
    for ticket, status in ((first, S.PENDING_ORDERING), (second, S.PENDING_ORDERING)):
        ticket.refresh_from_db()
        assert ticket.status == status
    theirs.refresh_from_db()
    assert theirs.status == S.PENDING_APPROVAL


# session, user, the approver's config ids, the page count (dropped by every status
# change), the page's keys, the cards' tickets, their peripherals and software.
APPROVAL_LIST_QUERIES = 8


def test_list_keeps_a_fixed_query_count_as_tickets_grow(
    client, flow, approver, django_assert_num_queries
):
    client.force_login(approver)
    client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
    _awaiting(flow)
    with django_assert_num_queries(APPROVAL_LIST_QUERIES):
        client.get(URL)
    for _ in range(4):
        _awaiting(flow)
    with django_assert_num_queries(APPROVAL_LIST_QUERIES):
        response = client.get(URL)
    assert response.content.decode().count("Approve RT-") == 5


def test_approver_edits_before_ordering_then_files_a_change_request(client, flow, approver):
    ticket = _awaiting(flow)
    client.force_login(approver)
    url = f"{URL}{ticket.pk}/edit/"
    assert "Save changes" in client.get(url).content.decode()
    response = client.post(url, {"location_building": "North Hall", "location_room": "12"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.location_building == "North Hall"

    client.post(f"{URL}{ticket.pk}/approve/")
    assert "Send the change request" in client.get(url).content.decode()
    client.post(url, {"text": "Add a second monitor"})
    assert ticket.events.filter(
        kind=EventKind.CHANGE_REQUEST, summary="Add a second monitor"
    ).exists()


def test_another_approver_cannot_edit(client, flow, other_approver):
    ticket = _awaiting(flow)
    client.force_login(other_approver)
    assert client.get(f"{URL}{ticket.pk}/edit/").status_code == 404
