"""The order pages' timeline entries (messages, history, emails), ready to print.

Like the lists' rows (``order_rows``), each entry's labels, times, escaped
bodies and links are worked out here once, so the templates print plain values:
no ``date``/``linebreaksbr``/``filesizeformat`` filter, ``{% url %}`` or method
call per entry (they were most of the staff order page's rendering time, issue
#17). The markup the pages print is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse

from common.moments import When, when
from orders.choices import MessageKind

KIND_LABELS = dict(MessageKind.choices)


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    url: str
    filename: str
    size: str


@dataclass(frozen=True, slots=True)
class MessageRow:
    pk: int
    kind: str
    kind_label: str
    client_visible: bool
    author: str
    from_client: bool
    created: When
    assigned_to: str
    subject: str
    to: str
    cc: str
    quoted_html: str
    body: str
    body_html: str
    attachments: tuple[AttachmentRow, ...]


def _person(user) -> str:
    return str(user) if user is not None else ""


def message_rows(messages, *, attachment_url, assignee: bool = True) -> list[MessageRow]:
    """``messages`` (with author, quoted, attachments and, with ``assignee``,
    assigned_to read; a message annotated ``has_attachments`` false has none) as
    rows; ``attachment_url(attachment_pk)`` links an attachment for the page's
    audience."""
    rows = []
    for message in messages:
        quoted = message.quoted
        rows.append(
            MessageRow(
                pk=message.pk,
                kind=message.kind,
                kind_label=KIND_LABELS.get(message.kind, message.kind),
                client_visible=message.client_visible,
                author=_person(message.author),
                from_client=message.from_client,
                created=when(message.created_at),
                assigned_to=_person(message.assigned_to) if assignee else "",
                subject=message.subject,
                to=", ".join(message.to or ()),
                cc=", ".join(message.cc or ()),
                quoted_html=linebreaksbr(quoted.body) if quoted is not None else "",
                body=message.body,
                body_html=linebreaksbr(message.body),
                attachments=tuple(
                    AttachmentRow(
                        url=attachment_url(a.pk), filename=a.filename, size=filesizeformat(a.size)
                    )
                    for a in (
                        message.attachments.all()
                        if getattr(message, "has_attachments", True)
                        else ()
                    )
                ),
            )
        )
    return rows


def staff_attachment_url():
    """``attachment_url`` for staff pages (one ``reverse`` for the whole thread)."""
    prefix = reverse("orders:staff_attachment", args=[0])[: -len("0/")]
    return lambda pk: f"{prefix}{pk}/"


def portal_attachment_url(number: int):
    """``attachment_url`` for the coordinator's order page."""
    prefix = reverse("orders:portal_attachment", args=[number, 0])[: -len("0/")]
    return lambda pk: f"{prefix}{pk}/"


@dataclass(frozen=True, slots=True)
class AuditRow:
    actor: str
    created: When
    change: str
    note: str


def audit_rows(audits) -> list[AuditRow]:
    """History entries: who, when, the status change (if any), the note."""
    return [
        AuditRow(
            actor=audit.actor_display,
            created=when(audit.created_at),
            change=(
                f"{audit.get_from_status_display()} → {audit.get_to_status_display()}"
                if audit.from_status and audit.from_status != audit.to_status
                else ""
            ),
            note=audit.note,
        )
        for audit in audits
    ]


@dataclass(frozen=True, slots=True)
class EmailRow:
    subject: str
    status_label: str
    to: str
    created: When


def email_rows(emails) -> list[EmailRow]:
    return [
        EmailRow(
            subject=email.subject,
            status_label=email.get_status_display(),
            to=", ".join(email.to or ()),
            created=when(email.created_at),
        )
        for email in emails
    ]
