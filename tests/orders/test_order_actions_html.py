"""The staff order page's actions list printed in Python
(``orders.views.order_actions_html``) says what the template loop it replaces said.

The former loop is kept in ``former_loops/actions.html`` and rendered beside the
Python output for lists that use every branch: manual, automated and failed
current actions, done and skipped ones with and without who processed them, a
note, an error or several attempts, hostile names and notes, and orders that
can't be worked (no current action). The two must match apart from white space
a browser ignores.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from accounts.models import User
from orders.choices import ActionKind, ActionStatus
from orders.models import OrderAction
from orders.views.order_actions_html import action_items_html
from tests.orders.markup import former, render_former, same_markup

LOOP = former("actions.html")
HOSTILE = '<b>"Tom & Jerry\'s"</b>'
MOMENT = dt.datetime(2026, 3, 9, 14, 5, tzinfo=dt.UTC)
NUMBER = 104321
TOKEN = "csrf<&>token"


def _action(pk: int, **fields) -> OrderAction:
    values = {
        "position": pk,
        "name": f"Step {pk}",
        "kind": ActionKind.MANUAL,
        "status": ActionStatus.PENDING,
        "attempts": 0,
    }
    return OrderAction(pk=pk, **{**values, **fields})


PERSON = User(pk=5, full_name="Pat Staff", email="pat@example.edu")
HOSTILE_PERSON = User(pk=6, full_name=HOSTILE, email="h@example.edu")

ACTIONS = [
    _action(1, status=ActionStatus.DONE, processed_at=MOMENT, processed_by=PERSON),
    _action(2, status=ActionStatus.DONE, processed_at=MOMENT, kind=ActionKind.AUTOMATED),
    _action(
        3,
        name=HOSTILE,
        status=ActionStatus.SKIPPED,
        processed_at=MOMENT,
        processed_by=HOSTILE_PERSON,
        note=HOSTILE,
        instructions=HOSTILE + "\nsecond line",
    ),
    _action(
        4,
        kind=ActionKind.AUTOMATED,
        status=ActionStatus.DONE,
        processed_at=MOMENT,
        attempts=3,
        last_error=HOSTILE,
    ),
    _action(5, kind=ActionKind.AUTOMATED, status=ActionStatus.DONE, attempts=1, last_error="x"),
    _action(6, kind=ActionKind.AUTOMATED, status=ActionStatus.FAILED, attempts=4, last_error="no"),
    _action(7, kind=ActionKind.AUTOMATED, status=ActionStatus.PENDING, attempts=2),
    _action(8, kind=ActionKind.AUTOMATED, status=ActionStatus.RUNNING, attempts=1),
    _action(9, name=HOSTILE, kind=ActionKind.MANUAL, status=ActionStatus.PENDING),
    _action(10, kind=ActionKind.MANUAL, status=ActionStatus.FAILED, attempts=2, last_error="e"),
    _action(11, kind=ActionKind.MANUAL, status=ActionStatus.PENDING, instructions="Do it."),
]


def _check(actions, current) -> str:
    printed = action_items_html(number=NUMBER, actions=actions, current=current, csrf_token=TOKEN)
    former = render_former(
        LOOP,
        actions=actions,
        current_action=current,
        order={"number": NUMBER},
        ActionKind=ActionKind,
        csrf_token=TOKEN,
    )
    assert same_markup(printed) == same_markup(former)
    return printed


@pytest.mark.parametrize("current", [None, *ACTIONS], ids=lambda a: f"current-{a and a.pk}")
def test_every_action_prints_what_the_template_loop_printed(current):
    printed = _check(ACTIONS, current)
    assert "<b>" not in printed
    assert "&lt;b&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/b&gt;" in printed


@pytest.mark.parametrize(
    ("kind", "status"),
    list(itertools.product(ActionKind.values, ActionStatus.values)),
)
def test_a_current_action_of_each_kind_and_status_prints_its_forms(kind, status):
    action = _action(20, kind=kind, status=status, attempts=2, last_error="timeout")
    printed = _check([action], action)
    offers_skip = kind == ActionKind.MANUAL or status == ActionStatus.FAILED
    assert (f'id="skip-note-{action.pk}"' in printed) is offers_skip
    assert printed.count('name="csrfmiddlewaretoken" value="csrf&lt;&amp;&gt;token"') == (
        int(kind == ActionKind.MANUAL or status == ActionStatus.FAILED) + int(offers_skip)
    )


def test_no_actions_print_nothing():
    assert _check([], None) == ""
