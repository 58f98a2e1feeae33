"""The staff order page's timeline entries printed in Python (issue #17).

The thread, history and emails of the staff order page were ``{% for %}`` loops
of about twenty template variables and tags per entry: with ten entries each,
the largest part of the page's rendering. Their ``<li>`` elements are printed
here from the ready rows of ``orders.views.timeline_rows``, with the same
markup the template printed (``tests/orders/test_timeline_html.py`` renders the
former template loops beside these and compares them). Every value is escaped
here; the rows' ``*_html`` fields are escaped already (``linebreaksbr``).
"""

from __future__ import annotations

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from orders.views.timeline_rows import AuditRow, EmailRow, MessageRow


def _time(when) -> str:
    return f'<time datetime="{escape(when.iso)}">{escape(when.text)}</time>'


def _message_item(message: MessageRow, detail_url: str) -> str:
    visible = message.client_visible
    parts = [
        f'<li class="orders-message orders-message--{escape(message.kind)}">\n',
        f"<p><strong>{escape(message.author or 'IT')}</strong>",
        " (client)" if message.from_client else "",
        f'\n · <span class="badge{"" if visible else " badge--warning"}">',
        escape(message.kind_label),
        "" if visible else " · staff only",
        f"</span>\n · {_time(message.created)}\n",
        f" · assigned to {escape(message.assigned_to)}" if message.assigned_to else "",
        "</p>\n",
    ]
    if message.subject or message.to or message.cc:
        parts.append('<p class="small muted orders-message__head">')
        if message.subject:
            parts.append(f"<strong>{escape(message.subject)}</strong>")
        if message.to:
            parts.append(f" · To {escape(message.to)}")
        if message.cc:
            parts.append(f" · CC {escape(message.cc)}")
        parts.append("</p>\n")
    if message.quoted_html:
        parts.append(f"<blockquote>{conditional_escape(message.quoted_html)}</blockquote>\n")
    parts.append(f"<p>{conditional_escape(message.body_html)}</p>\n")
    if message.attachments:
        parts.append('<ul class="orders-attachments">')
        parts.extend(
            f'<li><a href="{escape(a.url)}">{escape(a.filename)}</a> ({escape(a.size)})</li>'
            for a in message.attachments
        )
        parts.append("</ul>\n")
    url = escape(detail_url)
    quote_kind = "reply" if visible else "internal_comment"
    parts.append(
        f'<p class="small"><a href="{url}?kind=reply#compose">Reply</a>'
        f' · <a href="{url}?kind={quote_kind}&amp;quote={message.pk}#compose">Reply and quote</a>'
        f' · <a href="{url}?kind=follow_up&amp;quote={message.pk}#compose">Follow-up</a></p>\n'
        "</li>\n"
    )
    return "".join(parts)


def thread_items_html(messages: list[MessageRow], *, detail_url: str) -> SafeString:
    """The staff thread's ``<li>`` elements; ``detail_url``: the order page (the
    Reply, Reply and quote and Follow-up links open its compose form)."""
    return mark_safe("".join(_message_item(m, detail_url) for m in messages))  # noqa: S308


def audit_items_html(audits: list[AuditRow]) -> SafeString:
    """The history's ``<li>`` elements: who, when, the status change, the note."""
    return mark_safe(  # noqa: S308
        "".join(
            f"<li><p><strong>{escape(a.actor)}</strong> · {_time(a.created)}"
            + (f" · {escape(a.change)}" if a.change else "")
            + "</p>"
            + (f"\n<p>{escape(a.note)}</p>" if a.note else "")
            + "</li>\n"
            for a in audits
        )
    )


def email_items_html(emails: list[EmailRow]) -> SafeString:
    """The emails' ``<li>`` elements: subject, status, recipients, when."""
    return mark_safe(  # noqa: S308
        "".join(
            f'<li><p><strong>{escape(e.subject)}</strong> · <span class="badge">'
            f"{escape(e.status_label)}</span></p>\n"
            f'<p class="small">To {escape(e.to)} · {_time(e.created)}</p></li>\n'
            for e in emails
        )
    )
