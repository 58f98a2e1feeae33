"""Send Order Link (Ubersmith's): staff email a coordinator a link to any order they
can see, with a From, a Subject, a Message and attachments.

The link opens the order for its coordinator after sign-in: a draft to finish,
any other order to follow. Earlier links of the order are revoked; one audit
row records who sent what to whom.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from orders.choices import LINK_PURPOSE_ORDER_FINISH, OrderStatus
from orders.models import Order

from ._core import order_audit_add
from .messages import MAX_ATTACHMENTS_PER_MESSAGE, attachment_content_type, attachment_errors
from .notify import _coordinator_emails
from .staff import require_orders_staff

# Email servers refuse large messages: all attachments together stay under this.
ORDER_LINK_MAX_BYTES = 10 * 1024 * 1024
FROM_IT = "it"
FROM_ME = "me"


def order_link_defaults(*, order: Order, actor) -> dict[str, str]:
    """What the form starts with: the subject and message for a draft or a submitted order."""
    kind = order.get_order_type_display()
    if order.status == OrderStatus.DRAFT:
        subject = f"[Order {order.number}] Finish your order"
        message = (
            f"Order {order.number} ({kind}) was started but not submitted. "
            "Open the link below to sign in and finish it."
        )
    else:
        subject = f"[Order {order.number}] Follow your order"
        message = (
            f"Here is order {order.number} ({kind}), {order.get_status_display().lower()}. "
            "Open the link below to sign in and follow it: its steps, messages and dates."
        )
    return {"subject": subject, "message": message}


def _recipient_errors(order: Order, address: str) -> str:
    """Why ``address`` cannot follow the link ("" when a coordinator there sees the order)."""
    from accounts.models import User
    from orders.selectors.portal import orders_for_portal

    people = User.objects.filter(email__iexact=address, is_active=True)
    if any(orders_for_portal(user=person).filter(pk=order.pk).exists() for person in people):
        return ""
    return (
        f"{address} is not a coordinator who can see order {order.number}: the link "
        f"would not open for them. Send it to a coordinator of {order.organization.name}."
    )


@transaction.atomic
def order_link_send(
    *,
    order: Order,
    actor,
    to: str = "",
    sender: str = FROM_IT,
    subject: str = "",
    message: str = "",
    files=(),
):
    """Email a link to ``order`` to ``to`` (default: the coordinator who started it).

    ``sender`` ``"me"`` sets the actor as the reply-to and signs the message
    with their name; ``"it"`` sends it from the IT desk. Raises
    ``ValidationError`` by field: nobody to send to, an address that is no
    coordinator who can see the order, too many or too large attachments.
    Returns the logged email.
    """
    from notifications.links import access_link_issue
    from notifications.services import Attachment, email_queue

    require_orders_staff(actor)
    defaults = order_link_defaults(order=order, actor=actor)
    address = (to or "").strip() or (_coordinator_emails(order) or [""])[0]
    if not address:
        raise ValidationError({"email": "The order has no coordinator: enter an address."})
    problem = _recipient_errors(order, address)
    if problem:
        raise ValidationError({"email": problem})
    files = list(files or [])
    errors = [error for upload in files for error in attachment_errors(upload)]
    if len(files) > MAX_ATTACHMENTS_PER_MESSAGE:
        errors.append(f"Attach at most {MAX_ATTACHMENTS_PER_MESSAGE} files.")
    if sum(upload.size for upload in files) > ORDER_LINK_MAX_BYTES:
        errors.append("The attachments together may be at most 10 MB (email servers refuse more).")
    if errors:
        raise ValidationError({"attachments": errors})
    attachments = []
    for upload in files:
        upload.seek(0)
        attachments.append(
            Attachment.from_bytes(
                filename=upload.name,
                data=upload.read(),
                mimetype=attachment_content_type(upload),
            )
        )
    issued = access_link_issue(target=order, purpose=LINK_PURPOSE_ORDER_FINISH, email=address)
    is_draft = order.status == OrderStatus.DRAFT
    from_me = sender == FROM_ME
    email = email_queue(
        key=f"order-{order.pk}-order-link-{issued.link.pk}",
        template="orders_order_link",
        to=[address],
        reply_to=[actor.email] if from_me and actor.email else [],
        context={
            "order": order,
            "subject": subject.strip() or defaults["subject"],
            "message": message.strip() or defaults["message"],
            "link_url": issued.url(reverse("orders:finish_link", args=[issued.ref])),
            "link_label": f"Finish order {order.number}"
            if is_draft
            else f"Open order {order.number}",
            "sender": actor if from_me else None,
            "desk_name": settings.SITE_NAME,
        },
        related=order,
        attachments=attachments,
    )
    names = ", ".join(upload.name for upload in files)
    order_audit_add(
        order=order,
        actor=actor,
        transition="order_link_sent",
        from_status=order.status,
        to_status=order.status,
        note=f"Order link sent to {address}" + (f" with {names}." if names else "."),
    )
    return email
