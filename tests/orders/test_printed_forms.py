"""The staff order page's empty forms printed once per inputs (``orders.forms.printed``)
show what a form built for that view would show, and follow each input they depend on:
the order's actions, the people who work orders (names and roles), today's date, the
compose form's kind, To and subject and a canned response. A message posted with errors
is still printed from its bound form, with the errors and what was typed.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from common.form_render import form_html
from orders.forms.custom_fields import PlannedActionForm, TimeEntryForm
from orders.forms.desk import compose_form_class
from orders.forms.printed import PRINTED, PrintedForms
from orders.models import CannedResponse, OrderMessage
from orders.selectors import orders_staff_people

from .staff_helpers import submitted_email_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit, new_full_name="Jo Park")


def _form(page: str, action: str) -> str:
    """The form posting to ``action`` on ``page``."""
    start = page.index(f'action="{action}"')
    return page[start : page.index("</form>", start)]


def _page(client, order, **params) -> str:
    return client.get(reverse("orders:staff_detail", args=[order.number]), params).content.decode()


def _same_fields(printed: str, expected: str) -> None:
    assert re.sub(r"\s+", " ", expected).strip() in re.sub(r"\s+", " ", printed)


def test_the_printed_forms_are_the_forms_built_for_the_page(client, technician, order):
    client.force_login(technician)
    PRINTED.clear()
    for _ in range(2):  # printed, then reused
        page = _page(client, order)
        actions = list(order.actions.all())
        staff = orders_staff_people()
        time_form = TimeEntryForm(order=order, actions=actions, prefix="time")
        _same_fields(
            _form(page, reverse("orders:staff_time_log", args=[order.number])),
            form_html(time_form),
        )
        _same_fields(
            _form(page, reverse("orders:staff_action_plan", args=[order.number])),
            form_html(PlannedActionForm(staff=staff, prefix="plan")),
        )
        compose = _form(page, reverse("orders:staff_message", args=[order.number]))
        initial = {
            "kind": "reply",
            "quoted": None,
            "to": f"{order.submitted_by.email}",
            "to_initial": f"{order.submitted_by.email}",
            "subject": f"[Order {order.number}] Email only for Jo Park",
        }
        _same_fields(compose, form_html(compose_form_class()(initial=initial, staff=staff)))
        assert 'name="csrfmiddlewaretoken"' in compose


def test_the_time_form_follows_the_actions_and_the_day(client, technician, order, monkeypatch):
    client.force_login(technician)
    log_time = reverse("orders:staff_time_log", args=[order.number])
    first = order.actions.order_by("position").first()
    assert f"1. {first.name}</option>" in _form(_page(client, order), log_time)
    first.name = "Renamed <step>"
    first.save(update_fields=["name"])
    assert "1. Renamed &lt;step&gt;</option>" in _form(_page(client, order), log_time)

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert f'max="{tomorrow.isoformat()}"' in _form(_page(client, order), log_time)


def test_the_people_pickers_follow_who_works_orders(client, technician, make_user, order):
    client.force_login(technician)
    plan = reverse("orders:staff_action_plan", args=[order.number])
    message = reverse("orders:staff_message", args=[order.number])
    assert "Nell Newcomer" not in _page(client, order)
    newcomer = make_user(Role.ORDERS_TECHNICIAN, full_name="Nell Newcomer")
    page = _page(client, order)
    assert f'<option value="{newcomer.pk}">Nell Newcomer</option>' in _form(page, plan)
    assert _form(page, message).count(f'<option value="{newcomer.pk}">Nell Newcomer') == 2
    newcomer.full_name = "Nell Renamed"
    newcomer.save(update_fields=["full_name"])
    page = _page(client, order)
    assert "Nell Newcomer" not in page
    assert "Nell Renamed</option>" in _form(page, plan)


def test_the_compose_form_follows_its_kind_quote_and_canned_response(client, technician, order):
    client.force_login(technician)
    message = reverse("orders:staff_message", args=[order.number])
    checked = 'value="{}" required id="id_kind_{}" checked'
    assert checked.format("reply", 0) in _form(_page(client, order), message)
    follow_up = _form(_page(client, order, kind="follow_up"), message)
    assert checked.format("reply", 0) not in follow_up
    assert checked.format("follow_up", 1) in follow_up
    quoted = OrderMessage.objects.create(
        order=order, kind="reply", body="Earlier", author=technician
    )
    quoting = _form(_page(client, order, quote=quoted.pk), message)
    assert f'name="quoted" value="{quoted.pk}"' in quoting
    assert 'name="quoted" value=' not in _form(_page(client, order), message)
    response = CannedResponse.objects.create(name="Ready", subject="Ready", body="Hi {my_name}")
    canned = _form(_page(client, order, template=response.pk), message)
    assert f"Hi {technician.display_name}</textarea>" in canned
    assert "Hi {my_name}" not in _form(_page(client, order), message)


def test_a_message_with_errors_is_printed_from_what_was_posted(client, technician, order):
    client.force_login(technician)
    response = client.post(
        reverse("orders:staff_message", args=[order.number]),
        {"kind": "follow_up", "body": "Typed text", "subject": "Kept subject"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose who must act on this follow-up." in page
    assert 'value="Kept subject"' in page
    assert "Typed text</textarea>" in page


def test_the_least_recently_used_prints_are_dropped():
    prints = PrintedForms(size=2)
    built = []

    def build(text):
        return lambda: built.append(text) or text

    assert prints.get("a", build("A")) == "A"
    assert prints.get("b", build("B")) == "B"
    assert prints.get("a", build("A again")) == "A"  # kept, now the most recent
    assert prints.get("c", build("C")) == "C"  # drops b
    assert prints.get("b", build("B again")) == "B again"
    assert built == ["A", "B", "C", "B again"]


def test_a_print_is_kept_per_language():
    prints = PrintedForms()
    with translation.override("en"):
        assert prints.get("form", lambda: "English") == "English"
    with translation.override("de"):
        assert prints.get("form", lambda: "Deutsch") == "Deutsch"
    with translation.override("en"):
        assert prints.get("form", lambda: "again") == "English"


def test_the_printed_forms_carry_a_token_that_works(technician, order):
    """The actions' and the sidebar's forms are printed in Python with the page's token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(technician)
    page = _page(browser, order)
    current = order.actions.filter(status="pending").order_by("position").first()
    process = reverse("orders:staff_action_process", args=[order.number, current.pk])
    hold = reverse("orders:staff_hold", args=[order.number])
    tokens = {
        url: re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _form(page, url)).group(1)
        for url in (process, hold)
    }
    assert browser.post(process, {"note": "x"}).status_code == 403  # without it: refused
    response = browser.post(process, {"csrfmiddlewaretoken": tokens[process], "note": "Done"})
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.status == "done"
    assert browser.post(hold, {"csrfmiddlewaretoken": tokens[hold]}).status_code == 302
    order.refresh_from_db()
    assert order.status == "on_hold"
