"""The staff ticket page's timeline entries (status history, events, emails), printed
in Python.

The template engine costs per variable: the three timelines were about 280 of the
page's ~350 variables (issue #17), each entry with a ``status_label`` and a date
filter. Here each entry is one f-string over values escaped once with
``html.escape`` (what the template's autoescape does: ``django.utils.html.escape``
without its lazy-string checks), times spelled out by ``common.moments`` as ``when``
prints them. The markup is the template's; ``tests/refresh/test_ticket_page.py``
compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe

from common.moments import When
from refresh.choices import TicketStatus

STATUS_LABELS = dict(TicketStatus.choices)


def escape(value) -> str:
    return _escape(str(value))


def status_label(status: str) -> str:
    """A status's label; an unknown one as stored, none as "—"."""
    return STATUS_LABELS.get(status) or status or "—"


Moments = Callable[[datetime], When]


def audit_items(rows: list[dict], at: Moments) -> SafeString:
    """The status history's ``<li>`` entries (``ticket_timelines``' audit rows);
    ``at`` is the request's ``common.moments.moment_printer()``."""
    items = []
    for row in rows:
        moment = at(row["created_at"])
        note = f"<br>{escape(row['note'])}" if row["note"] else ""
        items.append(
            f"<li><strong>{escape(status_label(row['from_status']))} → "
            f"{escape(status_label(row['to_status']))}</strong>\n"
            f'          <span class="small muted">· {escape(row["actor_display"])} · '
            f'<time datetime="{moment.iso}">{escape(moment.text)}</time></span>\n'
            f"          {note}</li>"
        )
    return _joined(items)


def event_items(rows: list[dict], at: Moments) -> SafeString:
    """The events' ``<li>`` entries (``ticket_timelines``' event rows)."""
    items = []
    for row in rows:
        synced = " · in ITSM" if row["itsm_synced_at"] else ""
        items.append(
            f'<li><span class="badge">{escape(row["get_kind_display"])}</span> '
            f"{escape(row['summary'])}\n"
            f'          <span class="small muted">· {escape(row["actor_display"])} · '
            f"{escape(at(row['created_at']).text)}{synced}</span></li>"
        )
    return _joined(items)


def email_items(rows: list[dict], at: Moments) -> SafeString:
    """The emails' ``<li>`` entries (``ticket_timelines``' email rows)."""
    items = []
    for row in rows:
        to = ", ".join(escape(address) for address in row["to"] or ())
        items.append(
            f"<li><strong>{escape(row['subject'])}</strong> "
            f'<span class="small muted">· to {to} · {escape(row["get_status_display"])} · '
            f"{escape(at(row['created_at']).text)}</span></li>"
        )
    return _joined(items)


def _joined(items: list[str]) -> SafeString:
    # Every value above is escaped (an ISO time needs none).
    return mark_safe("".join(f"\n        {item}" for item in items))
