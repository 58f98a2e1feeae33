"""The staff order page's sidebar printed in Python (``orders.views.order_sidebar_html``)
says what the template it replaces said.

The former template is kept in ``former_loops/sidebar.html`` and rendered beside
the Python output for an order of each type in each status (draft, on hold and
final ones included), every other one with each optional field filled with
hostile text and the rest bare, each read as the page reads it; and, for each,
the permission on and off, the hold card shown or not, the end user's secret
absent, revealable, revealed (by someone or no one known) or not the viewer's,
ITSM tickets open, on hold and closed with and without a link or a title, and
subscribers none or some. The two must match apart from white space a browser
ignores.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from orders.choices import ITSMTicketStatus, OrderPriority, OrderStatus, OrderType
from orders.models import EndUserSecret, OrderITSMTicket, WorkstationPlaceholder
from orders.selectors import staff_order_get
from orders.views.order_sidebar_html import SidebarFacts, sidebar_html
from orders.views.staff import itsm_form_html
from tests.accounts.factories import UserFactory
from tests.orders.factories import InstallableSoftwareFactory, OrderFactory
from tests.orders.markup import former, render_former, same_markup

SIDEBAR = former("sidebar.html")
HOSTILE = '<b>"Tom & Jerry\'s"</b>'
ESCAPED = "&lt;b&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/b&gt;"
MOMENT = dt.datetime(2026, 3, 9, 14, 5, tzinfo=dt.UTC)
TOKEN = "csrf<&>token"
CASES = list(itertools.product(OrderType.values, OrderStatus.values))


def _rich(order_type: str, status: str):
    """An order with every optional detail filled, hostile where it is text."""
    person = UserFactory(full_name=HOSTILE)
    order = OrderFactory(
        order_type=order_type,
        status=status,
        submitted_by=person,
        owner=UserFactory(full_name="Olive Owner"),
        existing_user=UserFactory(full_name=f"End {HOSTILE}"),
        priority=OrderPriority.URGENT,
        submitted_at=MOMENT,
        requested_completion_date=dt.date(2026, 4, 1),
        planned_completion_date=dt.date(2026, 12, 24),
        new_full_name=HOSTILE,
        new_username="tj<1>",
        new_email="tj&j@example.edu",
        workstation="ws-01",
        distribution_groups=[HOSTILE, "staff-all"],
        shared_mailboxes=["front&desk@example.edu", "b@example.edu"],
        preferences=f"{HOSTILE}\nprinter 2",
        notes=f"Call first.\n{HOSTILE}",
    )
    order.existing_placeholder = WorkstationPlaceholder.objects.create(
        name=f"tmp-{HOSTILE}",
        workstation="ws-01",
        organization=order.organization,
        order=order,
    )
    order.save(update_fields=["existing_placeholder"])
    order.software.add(InstallableSoftwareFactory(name=HOSTILE), InstallableSoftwareFactory())
    return order


def _bare(order_type: str, status: str):
    """An order with no optional detail: each falls back to its empty text."""
    return OrderFactory(
        order_type=order_type,
        status=status,
        submitted_by=None,
        new_full_name="",
        new_username="",
        new_email="",
    )


def _ticket(pk: int, status: str, **fields) -> OrderITSMTicket:
    return OrderITSMTicket(pk=pk, status=status, **{"itsm_id": f"INC-{pk}", **fields})


TICKETS = [
    ([], []),
    (
        [
            _ticket(
                1, ITSMTicketStatus.OPEN, url="https://itsm.example.edu/?a=1&b=2", title=HOSTILE
            ),
            _ticket(2, ITSMTicketStatus.ON_HOLD),
            _ticket(3, ITSMTicketStatus.OPEN, itsm_id=HOSTILE),
            _ticket(4, ITSMTicketStatus.ON_HOLD, url="https://itsm.example.edu/4", title="Disk"),
        ],
        [
            _ticket(5, ITSMTicketStatus.CLOSED, url="https://itsm.example.edu/5", title=HOSTILE),
            _ticket(6, ITSMTicketStatus.CLOSED, itsm_id=HOSTILE),
        ],
    ),
    ([_ticket(7, ITSMTicketStatus.ON_HOLD)], []),
    ([], [_ticket(8, ITSMTicketStatus.CLOSED, title="Old")]),
]


def _secrets(viewer):
    """(secret, can_reveal) as the page may see them."""
    return [
        (None, False),
        (EndUserSecret(ciphertext="x"), True),
        (EndUserSecret(revealed_at=MOMENT, revealed_by=viewer), False),
        (EndUserSecret(revealed_at=MOMENT), False),
        (EndUserSecret(ciphertext="x"), False),
    ]


def _check(order, facts: SidebarFacts) -> str:
    printed = sidebar_html(order, facts)
    context = {field.name: getattr(facts, field.name) for field in dataclasses.fields(facts)}
    expected = render_former(
        SIDEBAR,
        order=order,
        perms={"orders": {"edit_order_information": facts.can_edit_information}},
        **context,
    )
    assert same_markup(printed) == same_markup(expected)
    return printed


@pytest.mark.django_db
@pytest.mark.parametrize(("order_type", "status"), CASES)
def test_the_sidebar_prints_what_its_template_printed(order_type, status, technician):
    made = (_rich if CASES.index((order_type, status)) % 2 == 0 else _bare)(order_type, status)
    order = staff_order_get(user=technician, number=made.number)
    subscribers = [[], [UserFactory.build(full_name=HOSTILE), UserFactory.build(full_name="Ann")]]
    variations = itertools.product(
        (True, False), _secrets(UserFactory.build(full_name="Vic Viewer"))
    )
    printed = []
    for index, (can_edit, (secret, can_reveal)) in enumerate(variations):
        open_tickets, closed_tickets = TICKETS[index % len(TICKETS)]
        facts = SidebarFacts(
            can_edit_information=can_edit,
            can_hold=index % 3 == 0,
            secret=secret,
            can_reveal=can_reveal,
            open_tickets=open_tickets,
            closed_tickets=closed_tickets,
            itsm_form_html=itsm_form_html(),
            subscribers=subscribers[index % 2],
            csrf_token=TOKEN,
        )
        printed.append(_check(order, facts))
    assert "<b>" not in "".join(printed)
    assert ESCAPED in "".join(printed)


@pytest.mark.django_db
def test_a_moment_prints_in_the_current_time_zone(technician):
    """The date filter showed moments in the page's time zone; so does the Python."""
    order = staff_order_get(user=technician, number=_rich(OrderType.EMAIL_ONLY, "draft").number)
    facts = SidebarFacts(
        can_edit_information=True,
        can_hold=False,
        secret=EndUserSecret(revealed_at=MOMENT),
        can_reveal=False,
        open_tickets=[],
        closed_tickets=[],
        itsm_form_html="",
        subscribers=[],
        csrf_token=TOKEN,
    )
    for zone in ("America/Detroit", "Asia/Tokyo"):
        with timezone.override(zone):
            printed = _check(order, facts)
        local = MOMENT.astimezone(ZoneInfo(zone))
        assert f"{local:%b} {local.day}, {local.year} {local.hour % 12 or 12}:" in printed
