"""Reads of one order's staff page: the order with what it shows beside it, its
timelines, bookings, ITSM tickets and subscribers. Access is checked on the order
(``staff_order_get``, deny by default); the rest take the order it returned.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects

from accounts.models import User
from common.prepared import Bound, Prepared, prefetched_set
from notifications.selectors import emails_for_object_id
from orders.choices import OrderType
from orders.models import (
    Order,
    OrderAction,
    OrderAttachment,
    OrderAudit,
    OrderITSMTicket,
    OrderMessage,
    OrderSubscription,
    TimeEntry,
)
from orders.roles import can_work_orders
from orders.selectors.portal import with_software
from orders.selectors.staff import ORDER_JOINS

# The people joined to the order page's rows are printed by name and email only:
# reading every column of each (password hash, stamps, flags) cost more to select
# and build than the rest of the row (issue #17). Other columns load on access.
PERSON_COLUMNS = ("full_name", "email", "is_active")
_ORDER_PEOPLE = ("owner", "submitted_by", "existing_user")


def _order_page_columns() -> list[str]:
    own = [f.attname for f in Order._meta.concrete_fields]
    joined = [
        f"{join}__{f.name}"
        for join in ORDER_JOINS
        if join not in _ORDER_PEOPLE
        for f in Order._meta.get_field(join).related_model._meta.concrete_fields
    ]
    people = [f"{join}__{column}" for join in _ORDER_PEOPLE for column in PERSON_COLUMNS]
    return own + joined + people


# Compiled once per process (``common.prepared``): the order's query alone cost
# 1.3 ms of CPU to compile on every request.
@Prepared
def _order_page(number: int) -> QuerySet[Order]:
    return (
        Order.objects.select_related(*ORDER_JOINS)
        .only(*_order_page_columns())
        # Most orders carry no logged time: the page then skips the time
        # entries' query (``order_time_totals``).
        .annotate(has_time_entries=Exists(TimeEntry.objects.filter(order=OuterRef("pk"))))
        .filter(number=number)
    )


@Prepared
def _order_actions(order_id: int) -> QuerySet[OrderAction]:
    return (
        OrderAction.objects.filter(order_id=order_id)
        .select_related("processed_by")
        .only(
            *(f.attname for f in OrderAction._meta.concrete_fields),
            *(f"processed_by__{column}" for column in PERSON_COLUMNS),
        )
        .order_by("position")
    )


def staff_order_get(*, user, number: int) -> Order | None:
    """One order with everything its staff page shows, or None (deny by default);
    ``order.actions.all()`` is read already, in order."""
    if not can_work_orders(user):
        return None
    order = _order_page.first(number=number)
    if order is None:
        return None
    prefetched_set(order, "actions", _order_actions.all(order_id=order.pk))
    return with_software(order)


def _thread_columns() -> QuerySet[OrderMessage]:
    return OrderMessage.objects.select_related("author", "assigned_to", "quoted").only(
        *(f.attname for f in OrderMessage._meta.concrete_fields),
        "quoted__body",
        *(
            f"{person}__{column}"
            for person in ("author", "assigned_to")
            for column in PERSON_COLUMNS
        ),
    )


def staff_order_messages(*, order: Order) -> QuerySet[OrderMessage]:
    """The whole thread (internal messages included), oldest first."""
    return (
        _thread_columns()
        .filter(order=order)
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


@Prepared
def _thread_newest_first(order_id: int) -> QuerySet[OrderMessage]:
    return (
        _thread_columns()
        .filter(order_id=order_id)
        .annotate(has_attachments=Exists(OrderAttachment.objects.filter(message=OuterRef("pk"))))
        .order_by("-created_at", "-id")
    )


def staff_order_thread(*, order: Order) -> Bound:
    """The thread for the order page, newest first (slice it for a page): each
    message knows whether it carries attachments (``has_attachments``); read those
    of the page's messages with ``thread_attachments_read`` (no query when none does)."""
    return _thread_newest_first.bind(order_id=order.pk)


def thread_attachments_read(messages: list[OrderMessage]) -> list[OrderMessage]:
    """Read the attachments of those ``messages`` that carry some (one query, none
    when no message does); the others get an empty list."""
    carrying = [m for m in messages if m.has_attachments]
    if carrying:
        prefetch_related_objects(carrying, "attachments")
    return messages


@Prepared
def _audits_newest_first(order_id: int) -> QuerySet[OrderAudit]:
    return (
        OrderAudit.objects.filter(order_id=order_id)
        .select_related("actor")
        .only(
            "order_id",
            "created_at",
            "note",
            "from_status",
            "to_status",
            "actor_job",
            "actor__full_name",
            "actor__email",
        )
        .order_by("-created_at", "-id")
    )


def staff_order_audits(*, order: Order) -> Bound:
    """The order's history, newest first (slice it for a page): the columns the page
    prints (not the edits' before/after JSON)."""
    return _audits_newest_first.bind(order_id=order.pk)


@Prepared
def _emails_newest_first(kind_id: int, order_id: int):
    return (
        emails_for_object_id(kind_id, order_id)
        .only("subject", "status", "to", "created_at")
        .order_by("-created_at", "-id")
    )


def staff_order_emails(*, order: Order) -> Bound:
    """Emails sent for the order, newest first (slice it for a page): subject,
    status, recipients, time."""
    kind = ContentType.objects.get_for_model(Order)
    return _emails_newest_first.bind(kind_id=kind.pk, order_id=order.pk)


def staff_order_appointments(*, order: Order) -> list:
    """A software install's bookings, newest first: the active one, then those it replaced
    (moved or cancelled). Other order types book nothing: no query."""
    if order.order_type != OrderType.INSTALL_SOFTWARE:
        return []
    from scheduling.selectors import bookings_for

    return list(bookings_for(obj=order).order_by("-created_at", "-pk"))


@Prepared
def _itsm_tickets(order_id: int) -> QuerySet[OrderITSMTicket]:
    return OrderITSMTicket.objects.filter(order_id=order_id).order_by("created_at", "id")


def staff_order_itsm_tickets(*, order: Order) -> list[OrderITSMTicket]:
    return _itsm_tickets.all(order_id=order.pk)


def staff_order_subscribers(*, order: Order) -> QuerySet[User]:
    return User.objects.filter(order_subscriptions__order=order).order_by("full_name", "email")


@Prepared
def _subscriptions(order_id: int) -> QuerySet[OrderSubscription]:
    return (
        OrderSubscription.objects.filter(order_id=order_id)
        .select_related("user")
        .order_by("created_at", "id")
    )


def staff_order_subscribed_users(*, order: Order) -> list[User]:
    """The order's subscribers in the order they subscribed (one query: the page's
    compose form starts its To with them and its sidebar lists them)."""
    return [subscription.user for subscription in _subscriptions.all(order_id=order.pk)]


def staff_message_get(*, order: Order, message_id: int | None) -> OrderMessage | None:
    """A message of ``order`` (the one a new message quotes), or None."""
    if not message_id:
        return None
    return OrderMessage.objects.filter(order=order, pk=message_id).first()


def staff_itsm_ticket_get(*, order: Order, ticket_id: int) -> OrderITSMTicket | None:
    return order.itsm_tickets.filter(pk=ticket_id).first()
