"""The batch page's per-serial report rows, printed once in Python.

50 rows a page; through the template each row cost a ``{% url %}``, a
``get_outcome_display`` call, the ticket's number and about a dozen variable
lookups, and the page loaded each row's system and ticket to show a number
(issue #17). Here each row is printed from its own columns with every value
escaped, in exactly the markup the template printed
(``tests/refresh/test_batch_rows.py`` compares the two).
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from refresh.choices import BatchRowOutcome

OUTCOME_LABELS = dict(BatchRowOutcome.choices)
CREATED = BatchRowOutcome.CREATED

ROW = """
      <tr><td>{position}</td><td class="mono">{serial}</td>
        <td><span class="badge {badge}">{outcome}</span>{message}</td>
        <td>{ticket}</td></tr>
      """
NO_ROWS = """
      <tr><td colspan="4" class="empty">No rows.</td></tr>
      """


def _e(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper."""
    return html.escape(str(value))


def batch_rows_html(rows) -> SafeString:
    """The ``<tbody>`` rows of ``rows`` (``batch_rows_page``'s), escaped."""
    if not rows:
        return mark_safe(NO_ROWS)  # noqa: S308 (constant markup)
    start, end = reverse("refresh:ticket_detail", args=[0]).split("/0/")
    printed = []
    for row in rows:
        created = row.outcome == CREATED
        message = (
            f' <span class="small">{_e(row.message)}</span>' if row.message and not created else ""
        )
        ticket = (
            f'<a href="{start}/{int(row.ticket_id)}/{end}">RT-{int(row.ticket_id):05d}</a>'
            if row.ticket_id
            else "—"
        )
        printed.append(
            ROW.format(
                position=_e(row.position),
                serial=_e(row.serial_number),
                badge="badge--success" if created else "badge--warning",
                outcome=_e(OUTCOME_LABELS.get(row.outcome, row.outcome)),
                message=message,
                ticket=ticket,
            )
        )
    return mark_safe("".join(printed))  # noqa: S308 (every value escaped by _e)
