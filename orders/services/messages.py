"""Staff messages on an order: replies, follow-ups, internal and client-viewable comments.

Who gets an email (each under its own unique key, sent after commit):

- reply, client-viewable comment: the coordinator, and every subscriber a copy;
- follow-up: the person it is assigned to, and staff subscribers a copy;
- internal comment: staff subscribers only.

Nothing internal (follow-ups, internal comments, or a quote of one) ever
reaches the client: a client-visible message may only quote client-visible ones.
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from orders.choices import (
    ATTACHMENT_CONTENT_TYPES,
    ATTACHMENT_MAX_BYTES,
    CLIENT_VISIBLE_MESSAGE_KINDS,
    MessageKind,
    OrderStatus,
)
from orders.exceptions import OrderError
from orders.models import Order, OrderAttachment, OrderMessage, OrderSubscription

from ._core import order_lock
from .staff import require_orders_staff

MAX_ATTACHMENTS_PER_MESSAGE = 5


def attachment_content_type(upload) -> str:
    """The type a file is stored and served as, from its name (never the browser's word)."""
    guessed, _ = mimetypes.guess_type(upload.name or "")
    return guessed or "application/octet-stream"


def attachment_errors(upload) -> list[str]:
    """Why ``upload`` cannot be attached (empty when it can)."""
    errors = []
    if upload.size > ATTACHMENT_MAX_BYTES:
        errors.append(
            f"{upload.name} is too large: attachments may be at most "
            f"{ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB."
        )
    if upload.size == 0:
        errors.append(f"{upload.name} is empty.")
    if attachment_content_type(upload) not in ATTACHMENT_CONTENT_TYPES:
        errors.append(
            f"{upload.name} cannot be attached: use PDF, images (PNG, JPEG, GIF), "
            "text, CSV, Word or Excel files."
        )
    return errors


def _staff_subscriber_q() -> Q:
    return (
        Q(user__is_superuser=True)
        | Q(
            user__groups__permissions__codename="work_order",
            user__groups__permissions__content_type__app_label="orders",
        )
        | Q(
            user__user_permissions__codename="work_order",
            user__user_permissions__content_type__app_label="orders",
        )
    )


def _subscriber_emails(*, order: Order, staff_only: bool, exclude: Iterable[str]) -> list[str]:
    qs = OrderSubscription.objects.filter(order=order, user__is_active=True)
    if staff_only:
        qs = qs.filter(_staff_subscriber_q())
    excluded = {address.lower() for address in exclude if address}
    emails = {email.lower() for email in qs.values_list("user__email", flat=True).distinct()}
    return sorted(emails - excluded)


def _urls(order: Order) -> tuple[str, str]:
    from .notify import _portal_url, _staff_url

    return _portal_url(order), _staff_url(order)


def order_message_notify(*, message: OrderMessage) -> None:
    """Email a staff message to the people its kind reaches (see the module docstring)."""
    from notifications.services import email_queue

    from .notify import _coordinator_emails

    order = message.order
    portal_url, staff_url = _urls(order)
    attachments = list(message.attachments.all())
    context = {
        "order": order,
        "message": message,
        "quoted": message.quoted,
        "author": message.author,
        "attachments": attachments,
    }
    sent_to: set[str] = set()
    if message.author_id:
        sent_to.add(message.author.email.lower())
    client_visible = message.kind in CLIENT_VISIBLE_MESSAGE_KINDS
    if message.to or message.cc:
        _notify_addressed(message=message, context=context, sent_to=sent_to)
        return
    if client_visible:
        coordinators = [e for e in _coordinator_emails(order) if e.lower() not in sent_to]
        email_queue(
            key=f"order-msg-{message.pk}-client",
            template="orders_message_client",
            to=coordinators,
            context={**context, "order_url": portal_url},
            related=order,
        )
        sent_to.update(e.lower() for e in coordinators)
    if message.kind == MessageKind.FOLLOW_UP and message.assigned_to_id:
        assignee = message.assigned_to.email.lower()
        if assignee not in sent_to:
            email_queue(
                key=f"order-msg-{message.pk}-assignee",
                template="orders_message_staff",
                to=[assignee],
                context={**context, "order_url": staff_url, "assigned": True},
                related=order,
            )
            sent_to.add(assignee)
    email_queue(
        key=f"order-msg-{message.pk}-subscribers",
        template="orders_message_staff",
        to=_subscriber_emails(order=order, staff_only=not client_visible, exclude=sent_to),
        context={**context, "order_url": staff_url, "subscriber_copy": True},
        related=order,
    )


def _notify_addressed(*, message: OrderMessage, context: dict, sent_to: set[str]) -> None:
    """A message staff addressed (To and CC on the compose form): exactly those people.

    Staff addresses get the staff email (the order manager's link); everyone
    else the client email (the portal's link). ``order_message_post`` refused
    non-staff addresses on staff-only kinds, so nothing internal leaves IT.
    """
    from notifications.services import email_queue

    from .replies import staff_addresses

    order = message.order
    portal_url, staff_url = _urls(order)
    to = [a for a in message.to if a.lower() not in sent_to]
    cc = [a for a in message.cc if a.lower() not in sent_to and a not in to]
    staff = staff_addresses([*to, *cc])
    if message.kind in CLIENT_VISIBLE_MESSAGE_KINDS:
        client_to = [a for a in to if a.lower() not in staff]
        client_cc = [a for a in cc if a.lower() not in staff]
        email_queue(
            key=f"order-msg-{message.pk}-client",
            template="orders_message_client",
            to=client_to or client_cc,
            cc=client_cc if client_to else [],
            context={**context, "order_url": portal_url},
            related=order,
        )
    staff_to = [a for a in to if a.lower() in staff]
    staff_cc = [a for a in cc if a.lower() in staff]
    assignee = message.assigned_to.email.lower() if message.assigned_to_id else ""
    email_queue(
        key=f"order-msg-{message.pk}-staff",
        template="orders_message_staff",
        to=staff_to or staff_cc,
        cc=staff_cc if staff_to else [],
        context={
            **context,
            "order_url": staff_url,
            "assigned": message.kind == MessageKind.FOLLOW_UP
            and assignee in {a.lower() for a in staff_to},
        },
        related=order,
    )


def _addresses_check(*, kind: str, to: list[str], cc: list[str], assigned_to) -> list[str]:
    """Lower-cased, de-duplicated; staff-only kinds may reach staff only."""
    from .replies import staff_addresses

    if kind not in CLIENT_VISIBLE_MESSAGE_KINDS:
        everyone = [*to, *cc]
        outside = sorted({a for a in everyone if a.lower() not in staff_addresses(everyone)})
        if outside:
            raise ValidationError(
                {
                    "to": f"{', '.join(outside)} do not work on orders: follow-ups and internal "
                    "comments stay inside IT. Remove them, or write a reply."
                }
            )
    addressed = {a.lower() for a in [*to, *cc]}
    if (
        kind == MessageKind.FOLLOW_UP
        and assigned_to is not None
        and assigned_to.email.lower() not in addressed
    ):
        to = [*to, assigned_to.email]
    return to


@transaction.atomic
def order_message_post(
    *,
    order: Order,
    author,
    kind: str,
    body: str,
    quoted: OrderMessage | None = None,
    assigned_to=None,
    files: Iterable = (),
    to: Iterable[str] | None = None,
    cc: Iterable[str] = (),
    subject: str = "",
    assign_order_to=None,
    subscribe: bool = False,
) -> OrderMessage:
    """A staff message on the order's thread, with attachments; emails follow after commit.

    ``to``/``cc`` (the compose form's, editable) address exactly those people;
    an empty To keeps the defaults of the module docstring (with a CC: the
    order's contacts and subscribers, plus the CC). ``subject`` is the emails'
    subject. ``assign_order_to`` changes the order's owner (audited, the new
    owner told); ``subscribe`` subscribes the author.
    """
    require_orders_staff(author)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write the message first."})
    if kind not in MessageKind.values:
        raise ValidationError({"kind": "Choose what kind of message this is."})
    order = order_lock(order_id=order.pk)
    if order.status == OrderStatus.CANCELLED and kind in CLIENT_VISIBLE_MESSAGE_KINDS:
        raise OrderError(
            f"Order {order.number} is cancelled; only internal notes can be added now."
        )
    if quoted is not None:
        if quoted.order_id != order.pk:
            raise ValidationError({"quoted": "Quote a message of this order."})
        if kind in CLIENT_VISIBLE_MESSAGE_KINDS and not quoted.client_visible:
            raise ValidationError({"quoted": "An internal message cannot be quoted to the client."})
    if kind == MessageKind.FOLLOW_UP:
        if assigned_to is None:
            raise ValidationError({"assigned_to": "Choose who must act on this follow-up."})
        if not (assigned_to.is_active and assigned_to.has_perm("orders.work_order")):
            raise ValidationError({"assigned_to": f"{assigned_to} does not work on orders."})
    else:
        assigned_to = None
    files = list(files)
    if len(files) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise ValidationError(
            {"attachments": f"Attach at most {MAX_ATTACHMENTS_PER_MESSAGE} files."}
        )
    errors = [error for upload in files for error in attachment_errors(upload)]
    if errors:
        raise ValidationError({"attachments": errors})
    to_list = _clean_addresses(to or [])
    if not to_list and cc:
        from .replies import message_recipients_default

        to_list = message_recipients_default(order=order, kind=kind, author=author)
    cc_list = [a for a in _clean_addresses(cc) if a.lower() not in {t.lower() for t in to_list}]
    if to_list or cc_list:
        to_list = _addresses_check(kind=kind, to=to_list, cc=cc_list, assigned_to=assigned_to)
    if assign_order_to is not None:
        from .desk import order_owner_assign

        order_owner_assign(order=order, actor=author, owner=assign_order_to)
    if subscribe:
        from .staff import order_subscribe

        order_subscribe(order=order, user=author)
    message = OrderMessage.objects.create(
        order=order,
        kind=kind,
        body=body,
        author=author,
        from_client=False,
        assigned_to=assigned_to,
        quoted=quoted,
        subject=(subject or "").strip()[:300],
        to=to_list,
        cc=cc_list,
    )
    for upload in files:
        _attach(message=message, upload=upload)
    order_message_notify(message=message)
    return message


def _clean_addresses(addresses: Iterable[str]) -> list[str]:
    seen, result = set(), []
    for address in addresses:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


def _attach(*, message: OrderMessage, upload) -> OrderAttachment:
    """Store a file under a random name (never the person's file name) and record it."""
    original = os.path.basename(upload.name or "attachment")[:255]
    extension = os.path.splitext(original)[1].lower()[:10]
    attachment = OrderAttachment(
        message=message,
        filename=original,
        size=upload.size,
        content_type=attachment_content_type(upload),
    )
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    attachment.save()
    return attachment


__all__ = [
    "MAX_ATTACHMENTS_PER_MESSAGE",
    "attachment_content_type",
    "attachment_errors",
    "order_message_notify",
    "order_message_post",
]
