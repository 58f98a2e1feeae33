"""The staff ticket page prints in Python what its template printed (issue #17):
timeline entries, times and forms; and shows every detail in a fixed number of
queries whatever the ticket's state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from common.moments import moment_printer, when
from refresh.choices import TicketStatus
from refresh.forms import CommentForm, GroupForm, TrackingForm
from refresh.models import RefreshBatch, RefreshTicket
from refresh.views.ticket_rows import audit_items, email_items, event_items
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.refresh.factories import (
    HardwareModelFactory,
    PeripheralFactory,
    RefreshConfigFactory,
    SoftwareTitleFactory,
    StockSystemFactory,
    SystemFactory,
)

S = TicketStatus
PAGE_QUERIES = 8  # session, user, the ticket (two), its requests, three timelines

# The timelines' loops as the page's template printed them before issue #17.
TEMPLATE_ENTRIES = """{% load refresh_tags %}
{% for row in audits %}
        <li><strong>{{ row.from_status|status_label }} → {{ row.to_status|status_label }}</strong>
          <span class="small muted">· {{ row.actor_display }} · <time datetime="{{ row.created_at|date:'c' }}">{{ row.created_at|date:"M j, Y g:i A" }}</time></span>
          {% if row.note %}<br>{{ row.note }}{% endif %}</li>
{% endfor %}
{% for event in events %}
        <li><span class="badge">{{ event.get_kind_display }}</span> {{ event.summary }}
          <span class="small muted">· {{ event.actor_display }} · {{ event.created_at|date:"M j, Y g:i A" }}{% if event.itsm_synced_at %} · in ITSM{% endif %}</span></li>
{% endfor %}
{% for email in emails %}
        <li><strong>{{ email.subject }}</strong> <span class="small muted">· to {{ email.to|join:", " }} · {{ email.get_status_display }} · {{ email.created_at|date:"M j, Y g:i A" }}</span></li>
{% endfor %}"""  # noqa: E501


def _items(html: str) -> list[str]:
    return re.findall(r"<li>.*?</li>", html, re.S)


def test_timeline_entries_print_what_the_template_printed():
    start = dt.datetime(2026, 3, 7, 23, 59, 30, 123456, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(hours=7 * i, minutes=13 * i) for i in range(12)]
    texts = ["", "Line one\nline <two> & 'three' \"four\"", "plain"]
    audits = [
        {
            "from_status": ["", S.PENDING_INVITE, "retired_status"][i % 3],
            "to_status": [S.PENDING_INVITE, S.ON_HOLD, S.CANCELLED][i % 3],
            "note": texts[i % 3],
            "created_at": moment,
            "actor_display": ["Ann <Admin>", "nightly job", "system"][i % 3],
        }
        for i, moment in enumerate(moments)
    ]
    events = [
        {
            "get_kind_display": ["Comment", "Pushed to ITSM", "odd_kind"][i % 3],
            "summary": f"Called <b>{i}</b> & left a message",
            "created_at": moment,
            "itsm_synced_at": moment if i % 2 else None,
            "actor_display": ["Bo", "ITSM sync", "del@example.edu"][i % 3],
        }
        for i, moment in enumerate(moments)
    ]
    emails = [
        {
            "subject": f"Your <new> computer & {i}",
            "to": [["a@example.edu"], ["a@example.edu", "b<c>@example.edu"], []][i % 3],
            "get_status_display": "Sent",
            "created_at": moment,
        }
        for i, moment in enumerate(moments)
    ]
    with timezone.override("America/Los_Angeles"):
        expected = Template(TEMPLATE_ENTRIES).render(
            Context({"audits": audits, "events": events, "emails": emails})
        )
        at = moment_printer()
        printed = audit_items(audits, at) + event_items(events, at) + email_items(emails, at)
    assert len(_items(expected)) == 36
    assert _items(printed) == _items(expected)
    assert "line &lt;two&gt; &amp; &#x27;three&#x27; &quot;four&quot;" in printed
    assert "<strong>— → Pending invite</strong>" in printed
    assert "<strong>Pending invite → retired_status</strong>" not in printed
    assert "retired_status → Cancelled" in printed


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Kolkata"])
def test_moment_printer_prints_what_when_and_the_date_filter_print(zone):
    start = dt.datetime(2026, 1, 1, 0, 7, tzinfo=dt.UTC)
    with timezone.override(zone):
        at = moment_printer()
        for step in range(0, 365 * 24, 11):
            moment = start + dt.timedelta(hours=step, minutes=step % 60)
            shown = at(moment)
            assert shown == when(moment), moment
            local = timezone.localtime(moment)
            assert shown.text == date_filter(local, "M j, Y g:i A"), moment
            assert shown.iso == date_filter(local, "c"), moment


@pytest.fixture
def remote_ticket(db, admin, manager):
    """A remote ticket showing most of what the page can show."""
    config = RefreshConfigFactory(replacement_group="Config group")
    ticket = RefreshTicket.objects.create(
        existing_system=SystemFactory(serial_number="OLD-1", name="WS-OLD"),
        config=config,
        user=UserFactory(full_name="Ann <User>", email="ann@example.edu"),
        delegate=UserFactory(full_name="", email="delegate@example.edu"),
        support_team=SupportTeamFactory(name="Desk <A>"),
        batch=RefreshBatch.objects.create(name="Spring <batch>", config=config),
        status=S.PENDING_DELIVERY,
        style="remote",
        replacement_system=StockSystemFactory(serial_number="NEW-1"),
        replacement_group="Ticket group",
        proposed_model=HardwareModelFactory(manufacturer="Dell", name="Proposed 1"),
        chosen_model=HardwareModelFactory(manufacturer="Apple", name="Chosen & 2"),
        approved_at=timezone.now(),
        approved_by=manager,
        created_by=admin,
        tracking_number="1Z999AA10123456784",
        tracking_carrier="ups",
    )
    ticket.peripherals.set(
        [PeripheralFactory(name="Zeta dock"), PeripheralFactory(name="Alpha & monitor")]
    )
    ticket.software_requests.set(
        [
            SoftwareTitleFactory(name="Zoom", platform=""),
            SoftwareTitleFactory(name="Office", platform="windows"),
        ]
    )
    return ticket


def _page(client, ticket, queries=None, **params):
    url = reverse("refresh:ticket_detail", args=[ticket.pk])
    client.get(url, params)
    if queries is None:
        return client.get(url, params).content.decode()
    with queries(PAGE_QUERIES):
        return client.get(url, params).content.decode()


def test_the_page_shows_the_related_rows_and_requests(
    client, admin, manager, remote_ticket, django_assert_num_queries
):
    client.force_login(admin)
    html = _page(client, remote_ticket, django_assert_num_queries)
    for shown in (
        '<dt>User</dt><dd>Ann &lt;User&gt; <span class="muted">(ann@example.edu)</span></dd>',
        "<dt>Delegate</dt><dd>delegate@example.edu</dd>",
        "<dt>Customer emails go to</dt><dd>delegate@example.edu</dd>",
        "<dt>Support team</dt><dd>Desk &lt;A&gt;</dd>",
        "Spring &lt;batch&gt;</a>",
        f"by {admin.display_name}</dd>",
        f"by {manager.display_name}</dd>",
        '<span class="mono">OLD-1</span> WS-OLD · ',
        "<dt>Proposed model</dt><dd>Dell Proposed 1</dd>",
        "<dt>Chosen model</dt><dd>Apple Chosen &amp; 2</dd>",
        "<dt>Peripherals</dt><dd>Alpha &amp; monitor, Zeta dock</dd>",
        "<dt>Software requests</dt><dd>Office (Windows), Zoom</dd>",
        '<span class="mono">NEW-1</span> · ',
        'Ticket group <span class="small muted">(this ticket\'s; the config says Config group)',
    ):
        assert shown in html, shown
    # Each form prints what its include prints.
    tracking = TrackingForm(initial={"tracking_number": "1Z999AA10123456784", "carrier": "ups"})
    assert render_to_string("includes/form.html", {"form": tracking}) in html
    group = GroupForm(initial={"group": "Ticket group"})
    assert render_to_string("includes/form.html", {"form": group}) in html
    comment = render_to_string("includes/field.html", {"field": CommentForm()["comment"]})
    assert comment in html


def test_a_refused_tracking_number_shows_the_page_again_with_the_same_details(
    client, admin, remote_ticket
):
    client.force_login(admin)
    url = reverse("refresh:ticket_tracking", args=[remote_ticket.pk])
    response = client.post(url, {"tracking_number": "", "carrier": "ups"})
    assert response.status_code == 400
    html = response.content.decode()
    bound = TrackingForm({"tracking_number": "", "carrier": "ups"})
    bound.is_valid()
    assert render_to_string("includes/form.html", {"form": bound}) in html
    assert "<dt>Peripherals</dt><dd>Alpha &amp; monitor, Zeta dock</dd>" in html
    assert "<dt>Software requests</dt><dd>Office (Windows), Zoom</dd>" in html


def test_people_without_the_shipping_permission_get_no_shipping_forms(
    client, manager, remote_ticket, django_assert_num_queries
):
    client.force_login(manager)
    html = _page(client, remote_ticket, django_assert_num_queries)
    assert 'name="tracking_number"' not in html
    assert 'name="group"' not in html
    assert "Change replacement" not in html
    assert "<dt>Peripherals</dt><dd>Alpha &amp; monitor, Zeta dock</dd>" in html


@pytest.mark.parametrize(
    ("status", "style", "shown"),
    [
        (S.PENDING_LOCATION_INFO, "user_specified_location", "Fill location info"),
        (S.ON_HOLD, "no_customer", "nobody (no customer)"),
        (S.DELIVERY_SCHEDULED, "on_prem", "Assign another slot"),
        (S.CANCELLED, "remote", "No actions available to you in this status."),
    ],
)
def test_every_state_shows_in_the_same_queries(
    client, make_user, status, style, shown, django_assert_num_queries
):
    person = make_user(Role.REFRESH_ADMINISTRATOR, is_staff=True)
    ticket = RefreshTicket.objects.create(
        existing_system=SystemFactory(),
        config=RefreshConfigFactory(),
        support_team=SupportTeamFactory(),
        status=status,
        status_before_hold=S.PENDING_ORDERING if status == S.ON_HOLD else "",
        style=style,
    )
    client.force_login(person)
    html = _page(client, ticket, django_assert_num_queries)
    assert shown in html
    assert "<dt>Peripherals</dt><dd>—</dd>" in html
    assert "<dt>Batch</dt><dd>—</dd>" in html


@pytest.mark.parametrize("related", [True, False])
def test_the_names_read_by_id_equal_those_of_the_loaded_ticket(remote_ticket, related):
    from refresh import selectors
    from refresh.selectors.ticket_page import TicketNames, ticket_page

    if not related:
        RefreshTicket.objects.filter(pk=remote_ticket.pk).update(
            batch=None, replacement_system=None, proposed_model=None, chosen_model=None,
            approved_by=None, created_by=None,
        )  # fmt: skip
    admin = UserFactory(is_superuser=True, is_staff=True)
    loaded = selectors.ticket_detail(user=admin, ticket_id=remote_ticket.pk)
    page = ticket_page(user=admin, ticket_id=remote_ticket.pk)
    assert page.names == TicketNames.of(loaded)
    assert bool(page.names.batch) is related
