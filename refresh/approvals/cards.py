"""The approver's cards, printed once in Python.

Each of the 25 cards on a page shows the customer's choices and carries three
forms (approve, the edit link, return with a comment). Through the template a
card cost three ``{% url %}``, two ``{% csrf_token %}``, two loops and about
sixty variable lookups: most of the page's CPU (issue #17). Here each card is
worked out once and printed with ``format_html`` (every value escaped), in
exactly the markup the template printed (``tests/refresh/test_approval_cards.py``
compares the two).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


def _names(names: tuple[str, ...], empty: str) -> SafeString | str:
    """``{% for p in items %}{{ p }}{% if not forloop.last %}, {% endif %}{% empty %}…``"""
    if not names:
        return empty
    return mark_safe(", ".join(conditional_escape(name) for name in names))  # noqa: S308


def _computer(row: ApprovalRow) -> SafeString:
    if row.none_fits:
        return format_html(
            "<strong>None of the offered models fits:</strong> {}\n      ", row.none_fits_reason
        )
    if row.chosen_differs:
        return format_html(
            '{} <span class="muted">(proposed: {})</span>', row.chosen_model, row.proposed_model
        )
    return conditional_escape(row.chosen_model or row.proposed_model or "Not chosen")


def _inadequate(row: ApprovalRow) -> SafeString | str:
    if row.inadequate_reason and not row.none_fits:
        return format_html(
            '<br><span class="muted">Proposed model inadequate: {}</span>', row.inadequate_reason
        )
    return ""


def _delivery(row: ApprovalRow) -> SafeString:
    if row.style == RefreshStyle.REMOTE:
        street2 = format_html(", {}", row.ship_street2) if row.ship_street2 else ""
        return format_html(
            "Ship to {}, {}{}, {}, {} {}",
            row.ship_to_name,
            row.ship_street,
            street2,
            row.ship_city,
            row.ship_state,
            row.ship_zip,
        )
    where = ""
    if row.location_building:
        room = format_html(", room {}", row.location_room) if row.location_room else ""
        where = format_html(": {}{}", row.location_building, room)
    return format_html("{}{}", STYLE_LABELS.get(row.style, row.style), where)


def approval_cards_html(rows: list[ApprovalRow], *, csrf_token: str) -> SafeString:
    """The cards of ``rows`` (``approvals_page``'s), escaped; ``csrf_token`` goes in
    each form."""
    urls = {
        name: reverse(f"refresh:approval_{name}", args=[0]).split("/0/")
        for name in ("approve", "edit", "return")
    }
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    cards = []
    for row in rows:
        pk = row.pk
        cards.append(
            format_html(
                CARD,
                pk=pk,
                number=row.number,
                person=row.person or row.serial,
                config=row.config,
                system_model=row.system_model,
                serial=row.serial,
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
    return mark_safe("".join(cards))  # noqa: S308 (each card built by format_html)
