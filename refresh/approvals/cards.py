"""The approver's cards, printed once in Python.

Each of the 25 cards on a page shows the customer's choices and carries three
forms (approve, the edit link, return with a comment). Through the template a
card cost three ``{% url %}``, two ``{% csrf_token %}``, two loops and about
sixty variable lookups: most of the page's CPU (issue #17). Here each card is
worked out once and printed with every value escaped, in exactly the markup
the template printed (``tests/refresh/test_approval_cards.py`` compares the two).
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from common.form_render import csrf_input
from refresh.choices import RefreshStyle
from refresh.selectors.approvals import ApprovalRow

STYLE_LABELS = dict(RefreshStyle.choices)

CARD = """
<section class="card" aria-labelledby="ticket-{pk}">
  <h2 id="ticket-{pk}">
    <label class="inline"><input type="checkbox" name="tickets" value="{pk}" form="bulk-approve"> <span class="visually-hidden">Select</span> {number} · {person}</label>
  </h2>
  <dl class="details">
    <dt>Config</dt><dd>{config}</dd>
    <dt>Current system</dt><dd>{system_model} ({serial})</dd>
    <dt>Computer</dt>
    <dd>
      {computer}
      {inadequate}
    </dd>
    <dt>Peripherals</dt><dd>{peripherals}</dd>
    <dt>Software</dt><dd>{software}</dd>
    <dt>Delivery</dt>
    <dd>{delivery}</dd>
  </dl>
  <div class="button-row">
    <form method="post" action="{approve_url}">
      {csrf}
      <button type="submit" class="btn">Approve {number}</button>
    </form>
    <a class="btn btn--secondary" href="{edit_url}">Edit {number}</a>
  </div>
  <details>
    <summary>Return to the customer with a comment</summary>
    <form method="post" action="{return_url}">
      {csrf}
      <div class="field">
        <label for="note-{pk}">What should the customer change?</label>
        <textarea id="note-{pk}" name="note" rows="3" required></textarea>
      </div>
      <div class="button-row"><button type="submit" class="btn btn--secondary">Return {number}</button></div>
    </form>
  </details>
</section>
"""  # noqa: E501 (the page's markup, line for line)


def _e(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper (about 550 values a
    page: the wrapper cost more than the escaping)."""
    return html.escape(str(value))


def _names(names: tuple[str, ...], empty: str) -> str:
    """``{% for p in items %}{{ p }}{% if not forloop.last %}, {% endif %}{% empty %}…``"""
    return ", ".join(_e(name) for name in names) if names else empty


def _computer(row: ApprovalRow) -> str:
    if row.none_fits:
        reason = _e(row.none_fits_reason)
        return f"<strong>None of the offered models fits:</strong> {reason}\n      "
    if row.chosen_differs:
        return (
            f"{_e(row.chosen_model)} "
            f'<span class="muted">(proposed: {_e(row.proposed_model)})</span>'
        )
    return _e(row.chosen_model or row.proposed_model or "Not chosen")


def _inadequate(row: ApprovalRow) -> str:
    if row.inadequate_reason and not row.none_fits:
        return (
            f'<br><span class="muted">Proposed model inadequate: {_e(row.inadequate_reason)}</span>'
        )
    return ""


def _delivery(row: ApprovalRow) -> str:
    if row.style == RefreshStyle.REMOTE:
        street2 = f", {_e(row.ship_street2)}" if row.ship_street2 else ""
        return (
            f"Ship to {_e(row.ship_to_name)}, {_e(row.ship_street)}{street2}, "
            f"{_e(row.ship_city)}, {_e(row.ship_state)} {_e(row.ship_zip)}"
        )
    where = ""
    if row.location_building:
        room = f", room {_e(row.location_room)}" if row.location_room else ""
        where = f": {_e(row.location_building)}{room}"
    return f"{_e(STYLE_LABELS.get(row.style, row.style))}{where}"


def approval_cards_html(rows: list[ApprovalRow], *, csrf_token: str) -> SafeString:
    """The cards of ``rows`` (``approvals_page``'s), every value escaped;
    ``csrf_token`` goes in each form."""
    urls = {
        name: reverse(f"refresh:approval_{name}", args=[0]).split("/0/")
        for name in ("approve", "edit", "return")
    }
    csrf = csrf_input(csrf_token)
    cards = []
    for row in rows:
        pk = int(row.pk)
        cards.append(
            CARD.format(
                pk=pk,
                number=_e(row.number),
                person=_e(row.person or row.serial),
                config=_e(row.config),
                system_model=_e(row.system_model),
                serial=_e(row.serial),
                computer=_computer(row),
                inadequate=_inadequate(row),
                peripherals=_names(row.peripherals, "None"),
                software=_names(row.software, "None requested"),
                delivery=_delivery(row),
                approve_url=f"{urls['approve'][0]}/{pk}/{urls['approve'][1]}",
                edit_url=f"{urls['edit'][0]}/{pk}/{urls['edit'][1]}",
                return_url=f"{urls['return'][0]}/{pk}/{urls['return'][1]}",
                csrf=csrf,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 (every value escaped by _e)
