from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db.models import F, Q, QuerySet

from common.pagination import ShownRowsPaginator, counts_changed

from .models import OutboundEmail

# The cache namespace of the outbox's page counts (common.pagination).
OUTBOX_COUNTS = "outbox"
OUTBOX_PAGE_SIZE = 50
# A search matching at most this many emails sorts its matches instead of
# walking the outbox's order (see ``outbox_page``).
FEW_MATCHES = 5000


def outbox_counts_changed() -> None:
    """Forget the outbox's cached counts (an email was logged or changed status)."""
    counts_changed(OUTBOX_COUNTS)


def emails_for_object(*, obj) -> QuerySet[OutboundEmail]:
    """Emails logged for one object (a ticket, an order)."""
    return emails_for_object_id(ContentType.objects.get_for_model(obj).pk, obj.pk)


def emails_for_object_id(kind_id: int, object_id: int) -> QuerySet[OutboundEmail]:
    """Emails logged for the object of content type ``kind_id`` and primary key
    ``object_id`` (both values, so a page can compile it once: ``common.prepared``)."""
    return OutboundEmail.objects.filter(related_type_id=kind_id, related_id=str(object_id))


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


def _outbox_keys(*, search: str, status: str) -> QuerySet[OutboundEmail]:
    keys = OutboundEmail.objects.all()
    if search:
        keys = keys.filter(Q(subject__icontains=search) | Q(to__icontains=search))
    if status:
        keys = keys.filter(status=status)
    # ``outbox_created_idx`` / ``outbox_status_created_idx``; a search is served
    # by the trigram indexes (migration 0005) on PostgreSQL.
    return keys.order_by("-created_at", "-id")


# What the outbox's table shows of an email (``notifications.outbox_rows``).
OUTBOX_COLUMNS = ("id", "subject", "to", "related_type_id", "related_id", "status", "created_at")


def _outbox_rows(ids: list[int]) -> dict[int, OutboundEmail]:
    """The emails ``ids`` with the columns the table shows and what each is about
    (one query per kind of object; the content types come from their cache)."""
    emails = OutboundEmail.objects.filter(pk__in=ids).only(*OUTBOX_COLUMNS)
    return {e.pk: e for e in emails.prefetch_related("related").order_by()}


def outbox_page(*, search: str = "", status: str = "", number) -> Page:
    """Page ``number`` of the outbox under the filters, flat at any size: the
    keys through an index, then the 50 emails shown (and what they are about);
    the count is cached until an email is logged or changes status."""
    keys = _outbox_keys(search=search, status=status)
    paginator = ShownRowsPaginator(
        keys, OUTBOX_PAGE_SIZE, namespace=OUTBOX_COUNTS, load_rows=_outbox_rows
    )
    if search and paginator.count <= FEW_MATCHES:
        # A rare term: walking the dates newest first would read most of the
        # table to find 50 matches; the trigram indexes find them all, then a
        # small sort (NULLS LAST, which the date index's order cannot give).
        paginator.object_list = keys.order_by(
            F("created_at").desc(nulls_last=True), F("id").desc(nulls_last=True)
        )
    return paginator.get_page(number)
