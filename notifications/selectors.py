from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import OutboundEmail


def emails_for_object(*, obj) -> QuerySet[OutboundEmail]:
    """Emails logged for one object (a ticket, an order), newest first."""
    return OutboundEmail.objects.filter(
        related_type=ContentType.objects.get_for_model(obj), related_id=str(obj.pk)
    )


def email_logged(*, key: str) -> bool:
    """True when an email with this idempotency key was already logged (check before
    issuing a fresh personal link for it: a new link revokes the one already sent)."""
    return OutboundEmail.objects.filter(key=key).exists()


def outbound_log(*, search: str = "", status: str = "") -> QuerySet[OutboundEmail]:
    """The outbox, newest first; each email's object (an order, a ticket) is prefetched
    (one query per kind of object on the page) so the list names it by its number."""
    qs = OutboundEmail.objects.select_related("related_type").prefetch_related("related")
    if search:
        qs = qs.filter(Q(subject__icontains=search) | Q(to__icontains=search))
    if status:
        qs = qs.filter(status=status)
    return qs.defer("body_html", "body_text", "attachments")
