"""Staff reading the Outbox or the admin never see someone else's live personal link."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from notifications.links import access_link_issue, links_redacted
from notifications.models import OutboundEmail
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_with_link(settings):
    issued = access_link_issue(
        target=OrganizationFactory(), purpose="refresh_wizard", email="p@x.edu"
    )
    url = issued.url(f"/refresh/c/{issued.token}/")
    email = OutboundEmail.objects.create(
        key="k-link",
        template="t",
        to=["p@x.edu"],
        subject="Your new computer",
        body_text=f"Hello,\n\nStart here: {url}\n\nThanks",
        body_html=f'<a href="{url}">Start</a>',
    )
    return email, issued


def test_links_become_what_they_are(email_with_link):
    email, issued = email_with_link
    text = links_redacted(email.body_text)
    assert issued.token not in text
    expires = issued.link.expires_at
    assert "[personal link to refresh wizard, expires " in text
    assert f"{expires.year}]" in text
    assert links_redacted("See https://h.example.edu/orders/12/ now") == (
        "See https://h.example.edu/orders/12/ now"
    )
    assert links_redacted("https://h.example.edu/x/" + "A" * 43 + "/") == "[personal link]"


def test_outbox_page_hides_the_link(client, make_user, email_with_link):
    email, issued = email_with_link
    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    page = client.get(reverse("notifications:outbox_detail", args=[email.pk])).content.decode()
    assert "Start here: [personal link to refresh wizard, expires" in page
    assert issued.token not in page


def test_admin_hides_the_link(client, superuser, email_with_link):
    email, issued = email_with_link
    client.force_login(superuser)
    url = reverse("admin:notifications_outboundemail_change", args=[email.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "[personal link to refresh wizard" in page
    assert issued.token not in page
