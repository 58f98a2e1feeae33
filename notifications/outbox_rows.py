"""The outbox table's rows, printed once in Python.

The outbox prints 50 rows a page; through the template each row cost a
``{% url %}``, a ``join``, ``capfirst`` and ``date`` filter, a ``firstof`` and
about twenty variable lookups, most of the page's CPU (issue #17). Here each row
is worked out once and printed with every value escaped, in exactly the markup
the template printed (``tests/notifications/test_outbox_rows.py`` compares the
two).
"""

from __future__ import annotations

import html

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from common.moments import datetime_text

from .choices import EmailStatus

STATUS_LABELS = dict(EmailStatus.choices)
STATUS_BADGES = {EmailStatus.SENT: "badge--success", EmailStatus.FAILED: "badge--danger"}

ROW = (
    "\n  <tr>\n"
    '    <td><a href="{}">{}</a></td>\n'
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    '    <td><span class="badge {}">{}</span></td>\n'
    "    <td>{}</td>\n"
    "  </tr>\n  "
)


def email_about(email) -> str:
    """What an email is about, as the outbox names it: "Order 77801", "Refresh ticket
    RT-00042", "User #12 (deleted)" (``related`` prefetched), or ""."""
    if email.related_type_id is None:
        return ""
    kind = capfirst(ContentType.objects.get_for_id(email.related_type_id).name)
    related = email.related
    if not related:
        return f"{kind} #{email.related_id} (deleted)"
    number = getattr(related, "number", None)
    if callable(number):
        number = number()
    return f"{kind} {number or related}"


def _e(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper (about 300 values
    a page: the wrapper cost more than the escaping)."""
    return html.escape(str(value))


def outbox_rows_html(emails) -> SafeString:
    """The ``<tbody>`` rows of ``emails`` (from ``outbox_page``), escaped."""
    detail = reverse("notifications:outbox_detail", args=[0])[: -len("0/")]
    rows = []
    for email in emails:
        rows.append(
            ROW.format(
                f"{detail}{int(email.pk)}/",
                _e(email.subject),
                ", ".join(_e(to) for to in email.to),
                _e(email_about(email)),
                STATUS_BADGES.get(email.status, "badge--warning"),
                _e(STATUS_LABELS.get(email.status, email.status)),
                _e(datetime_text(email.created_at)),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped by _e)
