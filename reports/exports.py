"""The staff lists as exportable tables: same filters (the list's own query string),
same access check and same column names as the page.

Each ``ExportSpec`` builds one ``values_list`` queryset over the owning app's
selector and turns each row into plain cells; writers (``reports.writers``)
stream them, saved views and emailed reports reuse them.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from notifications.choices import EmailStatus
from notifications.selectors import outbound_log
from orders.choices import OrderPriority, OrderStatus, OrderType
from orders.forms.staff import OrderFilterForm
from orders.roles import can_work_orders
from orders.selectors import staff_orders
from refresh.choices import RefreshStyle, TicketStatus
from refresh.forms import TicketFilterForm
from refresh.roles import can_view_tickets
from refresh.selectors import TicketFilters, batches_for_staff, tickets_for_staff
from scheduling.roles import can_view_calendar
from scheduling.selectors import slots_in_range

from .choices import ExportList

CHUNK = 2000


@functools.cache
def _business_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC datetime in the business time zone, without tzinfo (spreadsheets).

    The zone is read once (``timezone.localtime`` looks it up per call, a third
    of a 100k-row export's time)."""
    if value is None:
        return None
    return value.astimezone(_business_zone()).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class ExportSpec:
    list_name: str
    title: str
    columns: tuple[str, ...]
    allowed: Callable[[object], bool]
    queryset: Callable[[object, QueryDict], QuerySet]
    cells: Callable[[tuple], tuple]
    # The page the export belongs to (URL name), for links from saved views.
    page: str

    def rows(self, qs: QuerySet) -> Iterator[tuple]:
        cells = self.cells
        for row in qs.iterator(chunk_size=CHUNK):
            yield cells(row)


# --- refresh tickets ---------------------------------------------------------------
_TICKET_FIELDS = (
    "id",
    "existing_system__serial_number",
    "existing_system__name",
    "user__full_name",
    "user__email",
    "style",
    "status",
    "support_team__name",
    "config__name",
    "replacement_system__serial_number",
    "status_changed_at",
)
_STYLES = dict(RefreshStyle.choices)
_TICKET_STATUSES = dict(TicketStatus.choices)


def _tickets(user, params: QueryDict) -> QuerySet:
    filters = TicketFilters(**TicketFilterForm(params).filter_values())
    return tickets_for_staff(user=user, filters=filters).values_list(*_TICKET_FIELDS)


def _ticket_cells(row: tuple) -> tuple:
    pk, serial, hostname, full_name, email, style, status, team, config, repl, since = row
    return (
        f"RT-{pk:05d}",
        serial,
        hostname,
        full_name or email or "",
        _STYLES.get(style, style),
        _TICKET_STATUSES.get(status, status),
        team or "",
        config,
        repl or "",
        local(since),
    )


# --- orders --------------------------------------------------------------------------
_ORDER_FIELDS = (
    "number",
    "order_type",
    "status",
    "waiting_position",
    "waiting_on",
    "organization__name",
    "new_full_name",
    "existing_user__full_name",
    "existing_user__email",
    "existing_placeholder__name",
    "owner__full_name",
    "owner__email",
    "priority",
    "planned_completion_date",
)
_ORDER_TYPES = dict(OrderType.choices)
_ORDER_STATUSES = dict(OrderStatus.choices)
_PRIORITIES = dict(OrderPriority.choices)
_FINAL_ORDER = {OrderStatus.COMPLETED, OrderStatus.CANCELLED}


def _orders(user, params: QueryDict) -> QuerySet:
    form = OrderFilterForm(params)
    q, status, owner, queue_id = "", "", None, None
    if form.is_valid():
        q = form.cleaned_data["q"]
        status = form.cleaned_data["status"]
        owner = user if form.cleaned_data["mine"] else None
        queue_id = form.cleaned_data["queue"].pk if form.cleaned_data["queue"] else None
    step = params.get("step", "")
    qs = staff_orders(
        user=user,
        queue_id=queue_id,
        status=status,
        search=q,
        step=int(step) if step.isdigit() else 0,
        owner=owner,
    )
    return qs.values_list(*_ORDER_FIELDS)


def _order_cells(row: tuple) -> tuple:
    (number, kind, status, position, waiting, org, new_name, user_name, user_email, placeholder,
     owner_name, owner_email, priority, planned) = row  # fmt: skip
    if kind == OrderType.EMAIL_ONLY:
        about = new_name
    else:
        about = user_name or user_email or placeholder or new_name
    return (
        number,
        _ORDER_TYPES.get(kind, kind),
        _ORDER_STATUSES.get(status, status),
        f"{position}. {waiting}" if waiting and status not in _FINAL_ORDER else "",
        org,
        about or "",
        owner_name or owner_email or "",
        _PRIORITIES.get(priority, priority),
        planned,
    )


# --- batches -------------------------------------------------------------------------
def _batches(user, params: QueryDict) -> QuerySet:
    return batches_for_staff(user=user).values_list(
        "name",
        "config__name",
        "created_at",
        "created_by__full_name",
        "created_by__email",
        "tickets_created_at",
        "ticket_count",
    )


def _batch_cells(row: tuple) -> tuple:
    name, config, created, by_name, by_email, tickets_at, count = row
    return (
        name,
        config,
        local(created),
        by_name or by_email or "",
        count if tickets_at else "Not created yet",
    )


# --- slots ---------------------------------------------------------------------------
def slot_period(params: QueryDict) -> tuple[dt.date, dt.date]:
    """The calendar's period: the week (Monday first) or the month of ``date``."""
    try:
        day = dt.date.fromisoformat(params.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    if params.get("view") == "month":
        last = pycalendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _slots(user, params: QueryDict) -> QuerySet:
    first, last = slot_period(params)
    team = params.get("team", "")
    team_ids = [int(team)] if team.isdigit() else None
    qs = slots_in_range(first_day=first, last_day=last, team_ids=team_ids)
    return qs.values_list("start", "end", "team__name", "capacity", "booked_count", "location_note")


def _slot_cells(row: tuple) -> tuple:
    start, end, team, capacity, booked, note = row
    return (local(start), local(end), team, capacity, booked, max(capacity - booked, 0), note)


# --- outbox --------------------------------------------------------------------------
_EMAIL_STATUSES = dict(EmailStatus.choices)


def _outbox(user, params: QueryDict) -> QuerySet:
    status = params.get("status", "")
    return outbound_log(
        search=params.get("q", "").strip(),
        status=status if status in EmailStatus.values else "",
    ).values_list("subject", "to", "related_type_id", "related_id", "status", "created_at")


def _outbox_cells(row: tuple) -> tuple:
    subject, to, type_id, related_id, status, created = row
    about = ""
    if type_id:
        about = f"{ContentType.objects.get_for_id(type_id).name.capitalize()} #{related_id}"
    return (
        subject,
        ", ".join(to or []),
        about,
        _EMAIL_STATUSES.get(status, status),
        local(created),
    )


def _can_view_outbox(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("notifications.view_outboundemail")
    )


SPECS: dict[str, ExportSpec] = {
    spec.list_name: spec
    for spec in (
        ExportSpec(
            ExportList.TICKETS,
            "Refresh tickets",
            (
                "Ticket",
                "System",
                "Hostname",
                "User",
                "Style",
                "Status",
                "Team",
                "Config",
                "Replacement",
                "Status since",
            ),  # fmt: skip
            can_view_tickets,
            _tickets,
            _ticket_cells,
            "refresh:ticket_list",
        ),
        ExportSpec(
            ExportList.ORDERS,
            "Orders",
            (
                "Order",
                "Type",
                "Status",
                "Waiting on",
                "Organization",
                "About",
                "Owner",
                "Priority",
                "Planned",
            ),  # fmt: skip
            can_work_orders,
            _orders,
            _order_cells,
            "orders:staff_list",
        ),
        ExportSpec(
            ExportList.BATCHES,
            "Refresh batches",
            ("Batch", "Config", "Created", "By", "Tickets"),
            can_view_tickets,
            _batches,
            _batch_cells,
            "refresh:batch_list",
        ),
        ExportSpec(
            ExportList.SLOTS,
            "Schedule slots",
            ("Start", "End", "Team", "Capacity", "Booked", "Free", "Location"),
            can_view_calendar,
            _slots,
            _slot_cells,
            "scheduling:calendar",
        ),
        ExportSpec(
            ExportList.OUTBOX,
            "Outbox",
            ("Subject", "To", "About", "Status", "Logged"),
            _can_view_outbox,
            _outbox,
            _outbox_cells,
            "notifications:outbox",
        ),
    )
}

# Time logged on requests (issue 13): every time entry, from/to a day.
from .time_logged import TIME_COLUMNS, time_export_cells, time_export_rows  # noqa: E402

SPECS["time"] = ExportSpec(
    "time",
    "Time logged",
    TIME_COLUMNS,
    can_work_orders,
    time_export_rows,
    time_export_cells,
    "orders:staff_requests",
)
