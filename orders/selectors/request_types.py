"""Reads of request types: the portal's chooser, the staff pages, the requests list
filtered by a custom answer, time totals. Deny by default."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from orders.choices import OrderType
from orders.models import CustomField, Order, RequestType, TimeEntry
from orders.request_choices import FieldKind, RequestPortalVisibility
from orders.roles import can_work_orders

from .portal import user_is_coordinator

BUILTIN_DESCRIPTIONS = {
    OrderType.EMAIL_ONLY: "A new email account: name, username, groups and shared mailboxes.",
    OrderType.DEACTIVATE_FUTURE_REPLACEMENT: (
        "Someone leaves; their computer waits, parked, for a replacement you name later."
    ),
    OrderType.DEACTIVATE_REPLACEMENT_NOW: (
        "Someone leaves and a new person takes over their desktop now."
    ),
    OrderType.INSTALL_SOFTWARE: (
        "Software for a person's computer; they give their password and book a visit."
    ),
}
BUILTIN_ORDER_TYPES = [t for t in OrderType if t != OrderType.REQUEST]


@dataclass(frozen=True)
class ChooserEntry:
    """One card of the portal's chooser."""

    name: str
    description: str
    icon: str
    colour: str
    builtin_type: str
    slug: str


def _organization_chain_ids(organization) -> set[int]:
    ids, current = set(), organization
    while current is not None and current.pk not in ids:
        ids.add(current.pk)
        current = current.parent
    return ids


def _usable(request_type: RequestType, chain: set[int]) -> bool:
    if request_type.all_organizations:
        return True
    return any(org.pk in chain for org in request_type.organizations.all())


def request_types_for_portal(*, user) -> list[ChooserEntry]:
    """What a coordinator may start, in order: the built-in types (unless staff hid
    them) and the staff-defined types offered to their organization (or one above)."""
    if not user_is_coordinator(user) or user.organization_id is None:
        return []
    chain = _organization_chain_ids(user.organization)
    rows = list(RequestType.objects.prefetch_related("organizations").order_by("position", "name"))
    by_builtin = {r.builtin_type: r for r in rows if r.builtin_type}
    entries: list[tuple[int, ChooserEntry]] = []
    for position, kind in enumerate(BUILTIN_ORDER_TYPES, start=1):
        row = by_builtin.get(kind)
        if row is not None and not (
            row.active and row.portal_visibility == RequestPortalVisibility.PORTAL
        ):
            continue
        if row is not None and not _usable(row, chain):
            continue
        entries.append(
            (
                row.position if row else position,
                ChooserEntry(
                    name=row.name if row else kind.label,
                    description=(row.description if row else "") or BUILTIN_DESCRIPTIONS[kind],
                    icon=row.icon if row else "request",
                    colour=row.colour if row else "blue",
                    builtin_type=kind.value,
                    slug=kind.value,
                ),
            )
        )
    for row in rows:
        if row.builtin_type or not row.active:
            continue
        if row.portal_visibility != RequestPortalVisibility.PORTAL or not _usable(row, chain):
            continue
        entries.append(
            (
                row.position,
                ChooserEntry(
                    name=row.name,
                    description=row.description,
                    icon=row.icon,
                    colour=row.colour,
                    builtin_type="",
                    slug=row.slug,
                ),
            )
        )
    entries.sort(key=lambda e: (e[0], e[1].name))
    return [e for _, e in entries]


def request_type_for_portal(*, user, slug: str) -> RequestType | None:
    """A staff-defined type the coordinator may start (None otherwise)."""
    if not user_is_coordinator(user) or user.organization_id is None:
        return None
    row = (
        RequestType.objects.prefetch_related("organizations")
        .filter(
            slug=slug,
            active=True,
            builtin_type="",
            portal_visibility=RequestPortalVisibility.PORTAL,
        )
        .first()
    )
    if row is None or not _usable(row, _organization_chain_ids(user.organization)):
        return None
    return row


def request_type_fields(*, request_type: RequestType, include_archived=False) -> list[CustomField]:
    qs = CustomField.objects.filter(request_type=request_type).select_related("show_when")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return list(qs.order_by("position", "id"))


def builtin_custom_fields(*, order_type: str) -> list[CustomField]:
    """The live custom fields staff gave a built-in type (one query)."""
    return list(
        CustomField.objects.filter(request_type__builtin_type=order_type, archived_at__isnull=True)
        .select_related("show_when")
        .order_by("position", "id")
    )


def request_types_for_staff(*, user) -> QuerySet[RequestType]:
    if not can_work_orders(user):
        return RequestType.objects.none()
    return (
        RequestType.objects.select_related("queue")
        .annotate(
            field_count=Count("fields", filter=Q(fields__archived_at__isnull=True), distinct=True)
        )
        .order_by("position", "name")
    )


def request_type_for_staff(*, user, pk: int) -> RequestType | None:
    return request_types_for_staff(user=user).filter(pk=pk).first()


def custom_field_for_staff(*, user, pk: int) -> CustomField | None:
    if not can_work_orders(user):
        return None
    return CustomField.objects.select_related("request_type").filter(pk=pk).first()


def requests_for_staff(
    *,
    user,
    request_type: RequestType | None = None,
    field: CustomField | None = None,
    value: str = "",
    my_organizations: bool = False,
) -> QuerySet[Order]:
    """Requests (orders) for staff, optionally of one type, with a custom answer, or of
    the organizations whose account team the user is in. One query."""
    if not can_work_orders(user):
        return Order.objects.none()
    qs = Order.objects.select_related("organization", "owner", "request_type", "queue")
    if request_type is not None:
        if request_type.builtin_type:
            qs = qs.filter(Q(request_type=request_type) | Q(order_type=request_type.builtin_type))
        else:
            qs = qs.filter(request_type=request_type)
    value = (value or "").strip()
    if field is not None and value:
        if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.URL):
            qs = qs.filter(**{f"custom_values__{field.key}__icontains": value})
        elif field.kind == FieldKind.MULTIPLE_CHOICE:
            qs = qs.filter(_answer_holds(field.key, [value]))
        elif field.kind == FieldKind.PERSON:
            qs = qs.filter(**{f"custom_values__{field.key}__name__icontains": value})
        elif field.kind == FieldKind.YES_NO:
            answer = {"yes": "yes", "no": "no"}.get(value.lower(), value)
            qs = qs.filter(_answer_holds(field.key, answer))
        else:  # GIN (jsonb_path_ops) serves the containment
            qs = qs.filter(_answer_holds(field.key, value))
    if my_organizations:
        qs = qs.filter(organization__account_team=user)
    return qs.order_by("-created_at", "-id")


def _answer_holds(key: str, answer) -> Q:
    """Orders whose answer ``key`` is ``answer`` (a list: holds each of its items).

    PostgreSQL tests containment (``@>``, served by the GIN index); SQLite, the
    embedded mode's database, has no JSON containment: there the answer is
    compared by its key, and a list answer searched for each item's JSON text
    (ignoring case)."""
    if connection.features.supports_json_field_contains:
        return Q(custom_values__contains={key: answer})
    if isinstance(answer, list):
        return Q(*(Q(**{f"custom_values__{key}__icontains": json.dumps(a)}) for a in answer))
    return Q(**{f"custom_values__{key}": answer})


@dataclass(frozen=True)
class TimeTotals:
    total: int
    billable: int
    per_person: list[tuple[str, int]]
    entries: list[TimeEntry]


def order_time_totals(*, order: Order) -> TimeTotals:
    """The order's time entries, the total, the billable part and the total per person
    (one query: totals are summed from the entries; none when the order was read
    with ``has_time_entries`` false, as ``staff_order_get`` reads it)."""
    if getattr(order, "has_time_entries", True) is False:
        return TimeTotals(total=0, billable=0, per_person=[], entries=[])
    entries = list(
        TimeEntry.objects.filter(order=order)
        .select_related("person", "action")
        # The person and the step by name: not every column of each.
        .only(
            *(f.attname for f in TimeEntry._meta.concrete_fields),
            "person__full_name",
            "person__email",
            "action__name",
        )
        .order_by("-worked_on", "-id")
    )
    per_person: dict[str, int] = {}
    for entry in entries:
        name = entry.person.display_name
        per_person[name] = per_person.get(name, 0) + entry.minutes
    return TimeTotals(
        total=sum(e.minutes for e in entries),
        billable=sum(e.minutes for e in entries if e.billable),
        per_person=sorted(per_person.items()),
        entries=entries,
    )


def time_entries_for_export(*, user, start=None, end=None) -> QuerySet[TimeEntry]:
    """Every time entry (orders staff only), newest day first, for the export."""
    if not can_work_orders(user):
        return TimeEntry.objects.none()
    entries = TimeEntry.objects.all()
    if start:
        entries = entries.filter(worked_on__gte=start)
    if end:
        entries = entries.filter(worked_on__lte=end)
    return entries.order_by("-worked_on", "-id")


def time_entry_for_staff(*, user, pk: int) -> TimeEntry | None:
    if not can_work_orders(user):
        return None
    return TimeEntry.objects.select_related("order", "person", "action").filter(pk=pk).first()


def time_logged_between(*, start, end, queue_id: int | None = None) -> list[dict]:
    """Minutes per person between two days (inclusive), billable and total, for reports
    (one query)."""
    entries = TimeEntry.objects.filter(worked_on__gte=start, worked_on__lte=end)
    if queue_id:
        entries = entries.filter(order__queue_id=queue_id)
    return list(
        entries.values("person__email", "person__full_name")
        .annotate(total=Sum("minutes"), billable_total=Sum("minutes", filter=Q(billable=True)))
        .order_by("person__full_name", "person__email")
    )


__all__ = [
    "builtin_custom_fields",
    "BUILTIN_DESCRIPTIONS",
    "ChooserEntry",
    "TimeTotals",
    "custom_field_for_staff",
    "order_time_totals",
    "request_type_fields",
    "request_type_for_portal",
    "request_type_for_staff",
    "request_types_for_portal",
    "request_types_for_staff",
    "requests_for_staff",
    "time_entries_for_export",
    "time_entry_for_staff",
    "time_logged_between",
]
