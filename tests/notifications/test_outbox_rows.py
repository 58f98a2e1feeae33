"""The outbox's rows printed in Python (``notifications.outbox_rows``) are the rows
its template printed, for every kind of email a person sees there."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.utils import timezone

from accounts.models import User
from notifications.models import OutboundEmail
from notifications.outbox_rows import outbox_rows_html
from notifications.selectors import outbox_page

pytestmark = pytest.mark.django_db

# The outbox template's rows before they moved to Python (outbox.html).
TEMPLATE_ROWS = (Path(__file__).parent / "outbox_rows_before.html").read_text()


@pytest.fixture
def emails(make_user):
    from tests.orders.factories import OrderFactory

    person = make_user(full_name="Ana <Díaz> & Co")
    order = OrderFactory()
    users = ContentType.objects.get_for_model(User)
    kinds = [
        {"related": person},
        {"related": order},
        {"related_type": users, "related_id": "987654"},  # the person was deleted
        {},  # about nothing
    ]
    start = timezone.make_aware(dt.datetime(2026, 1, 1, 0, 7))
    for i, (kind, status) in enumerate(
        zip(kinds * 3, ["sent", "failed", "queued", "sending"] * 3, strict=True)
    ):
        email = OutboundEmail.objects.create(
            key=f"row-{i}",
            template="t",
            to=["a@example.edu", "O'Brien <ob@example.edu>"][: 1 + i % 2],
            subject=f"Subject {i} <b>&amp;</b>",
            status=status,
            **kind,
        )
        # Morning, noon, afternoon and midnight hours across the year.
        created = start + dt.timedelta(days=31 * i, hours=(5 * i) % 24, minutes=i)
        OutboundEmail.objects.filter(pk=email.pk).update(created_at=created)


def test_python_rows_are_the_templates_rows(emails):
    page = outbox_page(number=1)
    assert len(page.object_list) == 12
    expected = Template(TEMPLATE_ROWS).render(Context({"page": page}))
    assert str(outbox_rows_html(page.object_list)) == expected


def test_rows_show_what_each_email_is_about_escaped(staff_client, emails):
    text = staff_client.get("/notifications/outbox/").text
    assert "Subject 3 &lt;b&gt;&amp;amp;&lt;/b&gt;" in text
    assert "a@example.edu, O&#x27;Brien &lt;ob@example.edu&gt;" in text
    assert "User Ana &lt;Díaz&gt; &amp; Co" in text
    assert "User #987654 (deleted)" in text
    assert '<span class="badge badge--danger">Failed</span>' in text
    assert "Jan 1, 2026 12:07 AM" in text  # midnight in the current time zone


@pytest.fixture
def staff_client(client, make_user):
    from accounts.roles import Role

    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    return client
