"""The ITSM stub page's ticket rows printed in Python (``integrations.stub_rows``)
are the rows its template printed, and their status forms still work."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.roles import Role
from integrations.itsm import NewTicket
from integrations.itsm.stub import StubITSMClient
from integrations.models import StubITSMTicket
from integrations.selectors import stub_tickets_page
from integrations.stub_rows import stub_rows_html

pytestmark = pytest.mark.django_db

# The stub template's rows before they moved to Python (itsm_stub.html).
TEMPLATE_ROWS = (Path(__file__).parent / "stub_rows_before.html").read_text()
STUB = reverse("integrations:itsm_stub")


@pytest.fixture
def tickets():
    """Tickets new, installed and closed, with zero to two tasks, titles and
    requestors with markup in them."""
    client = StubITSMClient()
    for n in range(6):
        new = NewTicket(
            title=f"Refresh <{n}> & co", description="", requestor_email=f"p{n}&<x>@x.edu"
        )
        client.create_ticket(
            ticket=new, task_titles=["Prestage", "Deliver"][: n % 3], idempotency_key=f"k{n}"
        )
    for ticket, status in zip(
        StubITSMTicket.objects.order_by("id"), ["installed", "closed"], strict=False
    ):
        StubITSMTicket.objects.filter(pk=ticket.pk).update(status=status)


def test_python_rows_are_the_templates_rows(tickets):
    page = stub_tickets_page(number=1)
    request = RequestFactory().get(STUB, {"q": "a&b <c>", "page": "1"})
    expected = Template(TEMPLATE_ROWS).render(
        Context({"page": page, "request": request, "csrf_token": "TOKEN"})
    )
    printed = stub_rows_html(page.object_list, csrf_token="TOKEN", next_url=request.get_full_path())
    assert str(printed) == expected


def test_a_rows_status_form_marks_the_ticket_and_returns_to_the_page(make_user, tickets):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(Role.REFRESH_ADMINISTRATOR))
    newest = StubITSMTicket.objects.order_by("-id").first()
    text = browser.get(STUB).text
    assert f'aria-label="Mark ticket {newest.pk} closed"' in text
    assert "Refresh &lt;5&gt; &amp; co" in text
    action = reverse("integrations:itsm_stub_ticket_status", args=[newest.pk])
    form = text[text.index(f'action="{action}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = browser.post(
        action, {"csrfmiddlewaretoken": token, "status": "closed", "next": STUB}
    )
    assert response.status_code == 302
    newest.refresh_from_db()
    assert newest.status == "closed"
