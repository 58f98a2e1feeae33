"""The staff order page's thread, history and emails printed in Python
(``orders.views.timeline_html``) say what the template loops they replace said.

Each former loop is kept here as it was and rendered beside the Python output
for entries that use every branch (escaping included); the two must match
apart from indentation, so a change to either side fails here until the other
follows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import engines

from orders.views.timeline_html import audit_items_html, email_items_html, thread_items_html
from orders.views.timeline_rows import AttachmentRow, AuditRow, EmailRow, MessageRow, when

# The loops as the templates held them before they were printed in Python.
LOOPS = Path(__file__).parent / "former_loops"
THREAD_LOOP = (LOOPS / "thread.html").read_text()
HISTORY_LOOP = (LOOPS / "history.html").read_text()
EMAILS_LOOP = (LOOPS / "emails.html").read_text()

MOMENT = when(dt.datetime(2026, 3, 9, 14, 5, tzinfo=dt.UTC))
HOSTILE = '<b>"Tom & Jerry\'s"</b>'


BLOCK_TAG = re.compile(r"\s*(</?(?:li|p|ul|ol|blockquote)\b[^>]*>)\s*")


def _same_markup(html: str) -> str:
    """What a browser shows: a run of white space reads as one space, and none
    counts around block elements' tags."""
    return BLOCK_TAG.sub(r"\1", re.sub(r"\s+", " ", str(html))).strip()


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def _message(**changes) -> MessageRow:
    fields = {
        "pk": 7,
        "kind": "reply",
        "kind_label": "Reply",
        "client_visible": True,
        "author": "Pat Staff",
        "from_client": False,
        "created": MOMENT,
        "assigned_to": "",
        "subject": "",
        "to": "",
        "cc": "",
        "quoted_html": "",
        "body": "Hello",
        "body_html": "Hello",
        "attachments": (),
    }
    return MessageRow(**{**fields, **changes})


def test_the_thread_prints_what_its_template_loop_printed():
    from django.template.defaultfilters import linebreaksbr

    messages = [
        _message(),
        _message(
            pk=8,
            kind="internal_comment",
            kind_label="Internal comment",
            client_visible=False,
            author="",
            assigned_to=HOSTILE,
            subject=HOSTILE,
            to="a@example.edu, b@example.edu",
            cc=HOSTILE,
            quoted_html=linebreaksbr("Quoted <i>text</i>\nsecond line"),
            body=HOSTILE,
            body_html=linebreaksbr(HOSTILE + "\nline two"),
            attachments=(
                AttachmentRow(url="/orders/staff/attachments/3/", filename=HOSTILE, size="1\xa0KB"),
                AttachmentRow(url="/orders/staff/attachments/4/", filename="b.pdf", size="3\xa0B"),
            ),
        ),
        _message(pk=9, kind="follow_up", kind_label="Follow-up", from_client=True, to="x@y.z"),
        _message(pk=10, cc="only@cc.example"),
    ]
    detail_url = "/orders/staff/1234/"
    printed = thread_items_html(messages, detail_url=detail_url)
    expected = _render(THREAD_LOOP, thread={"entries": messages}, detail_url=detail_url)
    assert _same_markup(printed) == _same_markup(expected)
    assert "&lt;b&gt;&quot;Tom &amp; Jerry&#x27;s&quot;&lt;/b&gt;" in printed
    assert "<b>" not in printed


def test_the_history_prints_what_its_template_loop_printed():
    audits = [
        AuditRow(actor="Pat Staff", created=MOMENT, change="Submitted → In progress", note=""),
        AuditRow(actor=HOSTILE, created=MOMENT, change="", note=HOSTILE),
        AuditRow(actor="automation", created=MOMENT, change="", note=""),
    ]
    printed = audit_items_html(audits)
    assert _same_markup(printed) == _same_markup(_render(HISTORY_LOOP, audits=audits))
    assert "<b>" not in printed


def test_the_emails_print_what_their_template_loop_printed():
    emails = [
        EmailRow(subject=HOSTILE, status_label="Sent", to="a@example.edu", created=MOMENT),
        EmailRow(subject="Order 1: update", status_label="Failed", to=HOSTILE, created=MOMENT),
    ]
    printed = email_items_html(emails)
    assert _same_markup(printed) == _same_markup(_render(EMAILS_LOOP, emails=emails))
    assert "<b>" not in printed
