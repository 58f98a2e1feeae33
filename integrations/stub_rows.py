"""The ITSM stub page's ticket rows, printed once in Python.

50 rows a page, each with a status form; through the template each row cost
two ``{% url %}``, a ``{% csrf_token %}``, ``request.get_full_path`` and about
fifteen variable lookups (issue #17). Here each row is printed with every value
escaped, in exactly the markup the template printed
(``tests/integrations/test_stub_rows.py`` compares the two).
"""

from __future__ import annotations

import html

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from common.form_render import csrf_input

STATUS_BADGES = {"closed": "badge--success", "installed": "badge--primary"}

ROW = """
      <tr>
        <td><a href="{detail}">{pk}</a></td>
        <td>{title}<br><span class="small muted">{requestor}</span></td>
        <td><span class="badge {badge}">{status}</span></td>
        <td>{done} / {tasks}</td>
        <td>
          <form method="post" action="{action}" class="button-row button-row--flush">{csrf}
            <input type="hidden" name="next" value="{next}">
            <button class="btn btn--small btn--secondary" name="status" value="installed" aria-label="Mark ticket {pk} installed">Installed</button>
            <button class="btn btn--small btn--secondary" name="status" value="closed" aria-label="Mark ticket {pk} closed">Closed</button>
          </form>
        </td>
      </tr>
      """  # noqa: E501 (the page's markup, line for line)


def _e(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper."""
    return html.escape(str(value))


def stub_rows_html(tickets, *, csrf_token: str, next_url: str) -> SafeString:
    """The ``<tbody>`` rows of ``tickets`` (``stub_tickets_page``'s, with their task
    counts), escaped; each status form carries ``csrf_token`` and returns to
    ``next_url`` (the page's own path and query)."""
    detail = reverse("integrations:itsm_stub_ticket", args=[0]).split("/0/")
    action = reverse("integrations:itsm_stub_ticket_status", args=[0]).split("/0/")
    csrf = csrf_input(csrf_token)
    next_value = _e(next_url)
    rows = []
    for ticket in tickets:
        pk = int(ticket.pk)
        rows.append(
            ROW.format(
                detail=f"{detail[0]}/{pk}/{detail[1]}",
                pk=pk,
                title=_e(ticket.title),
                requestor=_e(ticket.requestor_email),
                badge=STATUS_BADGES.get(ticket.status, ""),
                status=_e(ticket.status),
                done=_e(ticket.done_count),
                tasks=_e(ticket.task_count),
                action=f"{action[0]}/{pk}/{action[1]}",
                csrf=csrf,
                next=next_value,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped by _e)
