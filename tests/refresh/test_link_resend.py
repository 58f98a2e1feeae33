"""Personal links are stored sealed, rendered only when sent, and resent by staff as new links.

Issue 14 item 5: a staff member reading the Outbox, the admin or the table
never sees a live link; the customer's email carries one that works; "Resend
link" sends a new one to its owner (the old one stops), audited, rate-limited
and refused with a reason once the link's step is closed.
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from notifications.models import AccessLink, AccessLinkAudit, OutboundEmail
from notifications.resend import RESENDS_PER_LINK
from refresh.choices import TicketStatus
from refresh.models import RefreshTicket
from refresh.services import jobs

S = TicketStatus
TOKEN_URL = re.compile(re.escape(settings.SITE_URL) + r"/refresh/c/([A-Za-z0-9_-]{43})/")


@pytest.fixture
def invited(flow, django_capture_on_commit_callbacks, mailoutbox):
    """A ticket whose invite (with its wizard link) went out through the real sender."""
    ticket = flow.new()
    RefreshTicket.objects.filter(pk=ticket.pk).update(
        invite_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.tickets_send_due_invites() == 1
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER
    email = OutboundEmail.objects.get(template="refresh_job_invite", related_id=str(ticket.pk))
    return ticket, email


def _sent_link(mailoutbox, index=-1) -> str:
    return TOKEN_URL.search(mailoutbox[index].body).group(0)


def test_stored_email_holds_no_live_link_but_the_sent_one_works(invited, mailoutbox, client):
    ticket, email = invited
    url = _sent_link(mailoutbox)
    token = TOKEN_URL.search(url).group(1)
    # What the table holds: neither the token nor any working link.
    assert token not in email.body_text + email.body_html
    assert not TOKEN_URL.search(email.body_text + email.body_html)
    # The HTML part the customer got carries the same working link.
    html = mailoutbox[-1].alternatives[0][0]
    assert f'href="{url}"' in html
    # The link works for its owner.
    response = client.get(url.removeprefix(settings.SITE_URL), follow=True)
    assert response.status_code == 200
    assert ticket.number in response.content.decode() or "computer" in response.content.decode()


def test_staff_reading_outbox_and_admin_see_what_the_link_is_not_the_link(
    invited, mailoutbox, client, make_user, superuser
):
    _ticket, email = invited
    token = TOKEN_URL.search(_sent_link(mailoutbox)).group(1)
    client.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    page = client.get(reverse("notifications:outbox_detail", args=[email.pk])).content.decode()
    assert "[personal link to refresh wizard, expires " in page
    assert token not in page
    assert "~link." not in page  # not even the sealed form
    client.force_login(superuser)
    admin_page = client.get(
        reverse("admin:notifications_outboundemail_change", args=[email.pk])
    ).content.decode()
    assert "[personal link to refresh wizard, expires " in admin_page
    assert token not in admin_page
    assert "~link." not in admin_page


def test_resend_sends_a_new_link_to_its_owner_and_the_old_one_stops(
    invited, mailoutbox, client, make_user, django_capture_on_commit_callbacks
):
    ticket, email = invited
    old_url = _sent_link(mailoutbox)
    staff = make_user(Role.REFRESH_ADMINISTRATOR)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:outbox_resend", args=[email.pk]))
    copy = OutboundEmail.objects.exclude(pk=email.pk).get(template="refresh_job_invite")
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:outbox_detail", args=[copy.pk])
    page = client.get(response["Location"]).content.decode()
    assert "A new link was sent to " + ticket.user.email in page
    old_page = client.get(reverse("notifications:outbox_detail", args=[email.pk]))
    assert f"resent by {staff}" in old_page.content.decode()
    assert copy.to == email.to
    new_url = _sent_link(mailoutbox)
    assert new_url != old_url
    assert mailoutbox[-1].to == [ticket.user.email]
    assert mailoutbox[-1].subject == email.subject
    client.logout()
    assert client.get(old_url.removeprefix(settings.SITE_URL)).status_code == 410
    assert client.get(new_url.removeprefix(settings.SITE_URL), follow=True).status_code == 200
    audit = AccessLinkAudit.objects.get()
    assert audit.actor == staff
    assert audit.transition == "resend"
    assert audit.changes["email"] == [str(email.pk), str(copy.pk)]
    live = AccessLink.objects.filter(purpose="refresh_wizard", revoked_at__isnull=True)
    assert [str(link.pk) for link in live] == [audit.changes["link"][1]]


def test_resend_is_rate_limited(invited, client, make_user, django_capture_on_commit_callbacks):
    _ticket, email = invited
    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    url = reverse("notifications:outbox_resend", args=[email.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(RESENDS_PER_LINK):
            assert client.post(url).status_code == 302
        page = client.post(url, follow=True).content.decode()
    assert "Not resent. Too many resends: wait " in page
    assert OutboundEmail.objects.filter(template="refresh_job_invite").count() == 1 + 3
    assert AccessLinkAudit.objects.count() == RESENDS_PER_LINK


def test_resend_refused_with_a_reason_once_the_step_is_closed(invited, flow, client, make_user):
    ticket, email = invited
    flow.advance(ticket, S.PENDING_APPROVAL if ticket.config.requires_approval else S.INSTALLED)
    client.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    page = client.post(
        reverse("notifications:outbox_resend", args=[email.pk]), follow=True
    ).content.decode()
    assert "Not resent. The link to refresh wizard is closed: " in page
    assert OutboundEmail.objects.filter(template="refresh_job_invite").count() == 1
    assert not AccessLinkAudit.objects.exists()


def test_used_link_is_refused_with_its_reason(invited, client, make_user):
    _ticket, email = invited
    link = AccessLink.objects.get(purpose="refresh_wizard")
    AccessLink.objects.filter(pk=link.pk).update(
        revoked_at=link.created_at, revoked_reason="The password was set."
    )
    client.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    page = client.post(
        reverse("notifications:outbox_resend", args=[email.pk]), follow=True
    ).content.decode()
    assert "The link to refresh wizard was closed: The password was set." in page


def test_email_without_a_link_cannot_be_resent(client, make_user, db):
    email = OutboundEmail.objects.create(key="k", template="t", to=["a@x.edu"], subject="s")
    client.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    page = client.post(
        reverse("notifications:outbox_resend", args=[email.pk]), follow=True
    ).content.decode()
    assert "This email carries no personal link to resend." in page
