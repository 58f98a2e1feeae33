"""The approver's cards printed in Python (``refresh.approvals.cards``) are the cards
the list template printed, for every kind of ticket an approver sees there."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client

from accounts.scale import scale_people_seed
from benchmarks.other_lists_seed import approval_batch_seed
from refresh.approvals.cards import approval_cards_html
from refresh.models import HardwareModel, RefreshTicket
from refresh.selectors import approvals_page
from tests.refresh.factories import PeripheralFactory, SoftwareTitleFactory

pytestmark = pytest.mark.django_db

# The list template's cards before they moved to Python (approvals/list.html).
TEMPLATE_CARDS = (Path(__file__).parent / "approval_cards_before.html").read_text()


@pytest.fixture
def tickets(approver):
    """12 tickets waiting for ``approver``: remote and on-site, chosen, proposed or
    no model, none fits, inadequate, with and without a customer, peripherals and
    software (names with markup in them)."""
    people = scale_people_seed(tag="c", people=3, teams=1)
    approval_batch_seed(people=people, tag="c", count=12, approver=approver)
    other = HardwareModel.objects.create(manufacturer="Dell", name="Lat <7440> & co")
    docks = [PeripheralFactory(name=f"Dock {i} <usb-c>") for i in range(2)]
    apps = [
        SoftwareTitleFactory(name="Office & more", platform="windows"),
        SoftwareTitleFactory(name="Zoom"),
    ]
    for i, ticket in enumerate(RefreshTicket.objects.order_by("status_changed_at", "id")):
        if i % 4 == 0:
            ticket.style = "remote"
            ticket.ship_to_name, ticket.ship_street = "Ann <b>", "1 Main"
            ticket.ship_street2 = "Apt 2" if i % 8 else ""
            ticket.ship_city, ticket.ship_state, ticket.ship_zip = "Ann Arbor", "MI", "48104"
        if i % 4 == 1:
            ticket.location_building = "Hall & Annex"
            ticket.location_room = "101" if i % 8 == 1 else ""
        if i % 3 == 2:
            ticket.chosen_model = other
        if i == 4:
            ticket.chosen_model = ticket.proposed_model  # chose the proposed model
        if i % 5 == 3:
            ticket.none_fits, ticket.none_fits_reason = True, "Too <small>"
        if i % 6 in (3, 4):
            ticket.inadequate_reason = "Slow & old"
        if i % 7 == 5:
            ticket.user = None
        if i in (6, 11):
            ticket.proposed_model = None
        ticket.save()
        ticket.peripherals.set(docks[: i % 3])
        ticket.software_requests.set(apps[: i % 3])


def test_python_cards_are_the_templates_cards(approver, tickets):
    page = approvals_page(user=approver, number=1)
    assert len(page.object_list) == 12
    instances = (
        RefreshTicket.objects.filter(pk__in=[row.pk for row in page.object_list])
        .select_related("user", "config", "existing_system__hardware_model")
        .select_related("proposed_model", "chosen_model")
        .prefetch_related("peripherals", "software_requests")
        .order_by("status_changed_at", "id")
    )
    expected = Template(TEMPLATE_CARDS).render(
        Context({"tickets": instances, "csrf_token": "TOKEN"})
    )
    assert str(approval_cards_html(page.object_list, csrf_token="TOKEN")) == expected


def test_cards_show_the_customers_choices_escaped(client, approver, tickets):
    client.force_login(approver)
    text = client.get("/refresh/approvals/").text
    assert 'Dell Lat &lt;7440&gt; &amp; co <span class="muted">(proposed: ' in text
    assert "<strong>None of the offered models fits:</strong> Too &lt;small&gt;" in text
    assert "Dock 0 &lt;usb-c&gt;, Dock 1 &lt;usb-c&gt;" in text
    assert "Office &amp; more (Windows), Zoom" in text
    assert "Ship to Ann &lt;b&gt;, 1 Main, Apt 2, Ann Arbor, MI 48104" in text
    assert "On premises: Hall &amp; Annex, room 101" in text
    assert text.count('<textarea id="note-') == 12


def test_a_cards_approve_form_carries_a_token_that_works(approver, tickets):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(approver)
    oldest = RefreshTicket.objects.order_by("status_changed_at", "id").first()
    text = browser.get("/refresh/approvals/").text
    action = f"/refresh/approvals/{oldest.pk}/approve/"
    form = text[text.index(f'<form method="post" action="{action}">') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = browser.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    oldest.refresh_from_db()
    assert oldest.status != "pending_approval"
