"""The staff order page's actions list printed in Python (issue #17).

Each action was a ``<li>`` of a dozen ``{% if %}`` tags and filters (badge,
labels, date, pluralize), and the current one three forms with ``{% url %}``
and ``{% csrf_token %}``: with the sidebar, the largest part of the page's
template time after the timelines were printed in Python. The same markup is
printed here (``tests/orders/test_order_actions_html.py`` renders the former
loop, ``tests/orders/former_loops/actions.html``, beside it for every branch).
Every value is escaped.
"""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.form_render import csrf_input
from common.moments import datetime_text
from orders.choices import ActionKind, ActionStatus
from orders.models import OrderAction
from orders.templatetags.orders_tags import order_status_badge


@functools.cache
def _labels(field: str) -> dict:
    """What ``get_<field>_display`` looks up, built once."""
    return dict(OrderAction._meta.get_field(field).flatchoices)


def _current_forms(*, number: int, action: OrderAction, csrf: str) -> str:
    """The current action's Process or Retry form (or "Runs automatically.") and its
    Skip form, as the page offers them."""
    pk, name = action.pk, escape(action.name)
    manual = action.kind == ActionKind.MANUAL
    failed = action.status == ActionStatus.FAILED
    if manual:
        url = escape(reverse("orders:staff_action_process", args=[number, pk]))
        parts = [
            f'<form method="post" action="{url}">\n{csrf}\n'
            f'<div class="field"><label for="process-note-{pk}">Note (optional)</label>\n'
            f'<textarea id="process-note-{pk}" name="note" rows="2"></textarea></div>\n'
            f'<div class="button-row"><button type="submit" class="btn">Process “{name}”'
            "</button></div>\n</form>\n"
        ]
    elif failed:
        url = escape(reverse("orders:staff_action_retry", args=[number, pk]))
        parts = [
            f'<form method="post" action="{url}">{csrf}\n'
            f'<div class="button-row"><button type="submit" class="btn">Retry “{name}”'
            "</button></div></form>\n"
        ]
    else:
        parts = ['<p class="small muted">Runs automatically.</p>\n']
    if manual or failed:
        url = escape(reverse("orders:staff_action_skip", args=[number, pk]))
        parts.append(
            '<details class="orders-skip">\n<summary>Skip this step…</summary>\n'
            f'<form method="post" action="{url}">\n{csrf}\n'
            f'<div class="field"><label for="skip-note-{pk}">Why is this step skipped? '
            '<span aria-hidden="true">*</span></label>\n'
            f'<textarea id="skip-note-{pk}" name="note" rows="2" required></textarea></div>\n'
            '<div class="button-row"><button type="submit" class="btn btn--secondary">'
            f"Skip “{name}”</button></div>\n</form>\n</details>\n"
        )
    return "".join(parts)


def _action_item(action: OrderAction, *, current: bool, forms: str) -> str:
    status = escape(_labels("status").get(action.status, action.status))
    badge = escape(order_status_badge(action.status))
    parts = [
        f'<li class="orders-action{" orders-action--current" if current else ""}">\n',
        f"<p><strong>{escape(action.name)}</strong>\n",
        f'<span class="badge {badge}">{status}</span>\n',
        f'<span class="muted small">{escape(_labels("kind").get(action.kind, action.kind))}'
        "</span></p>\n",
    ]
    if action.instructions:
        parts.append(f'<p class="small">{escape(action.instructions)}</p>\n')
    if action.processed_at:
        by = action.processed_by
        parts.append(
            f'<p class="small muted">{status} by {escape(by) if by else "automation"}'
            f" on {escape(datetime_text(action.processed_at))}"
            + (f": {escape(action.note)}" if action.note else "")
            + "</p>\n"
        )
    if action.last_error:
        parts.append(f'<p class="small">Last error: {escape(action.last_error)}</p>\n')
    if action.attempts > 1 or action.last_error:
        waits = action.status == ActionStatus.PENDING and action.kind == ActionKind.AUTOMATED
        parts.append(
            f'<p class="small muted">Tried automatically {action.attempts} '
            f"time{'' if action.attempts == 1 else 's'}"
            + ("; the next try follows with a growing wait" if waits else "")
            + ".</p>\n"
        )
    parts.append(forms)
    parts.append("</li>\n")
    return "".join(parts)


def action_items_html(
    *, number: int, actions: list[OrderAction], current: OrderAction | None, csrf_token: str
) -> SafeString:
    """The actions' ``<li>`` elements of order ``number``; ``current`` (the action
    staff work now, None when the order can't be worked) carries its forms."""
    csrf = csrf_input(csrf_token)
    items = []
    for action in actions:
        is_current = current is not None and action.pk == current.pk
        forms = _current_forms(number=number, action=action, csrf=csrf) if is_current else ""
        items.append(_action_item(action, current=is_current, forms=forms))
    return mark_safe("".join(items))  # noqa: S308
