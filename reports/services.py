"""Writes of the reports app: saved views, subscriptions, the report job, lifecycle
policies, the system date importer and "start a refresh batch" from the forecast."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, user_has_role
from notifications.links import access_link_issue
from notifications.models import OutboundEmail
from notifications.services import Attachment, email_queue
from refresh.models import System
from refresh.services import batch_create, systems_lifecycle_dates_set
from scheduling.calendar import business_calendar

from .choices import Frequency, LifecycleBasis
from .exports import SPECS
from .forecast import forecast_cell_serials
from .models import LifecyclePolicy, MetricSnapshot, ReportSubscription, SavedView
from .roles import can_import_systems, can_manage_lifecycle, can_save_views
from .selectors import METRIC_PROBLEMS
from .writers import csv_text

logger = logging.getLogger(__name__)

REPORT_FIRST_ROWS = 10
UNSUBSCRIBE_PURPOSE = "report_unsubscribe"
UNSUBSCRIBE_LINK_DAYS = 120


# --- saved views and subscriptions --------------------------------------------------
def _clean_query(list_name: str, query: str) -> str:
    params = QueryDict(query or "", mutable=True)
    params.pop("page", None)
    return params.urlencode()


@transaction.atomic
def saved_view_create(
    *, owner, name: str, list_name: str, query: str, shared_with_role: str = ""
) -> SavedView:
    """Save a list's filters under a name; private unless shared with a role.

    Only people who may see the list save it; a role shared with must exist.
    """
    spec = SPECS.get(list_name)
    if spec is None:
        raise ValidationError({"list_name": "This list cannot be saved."})
    if not (can_save_views(owner) and spec.allowed(owner)):
        raise PermissionDenied("You cannot save views of this list.")
    if shared_with_role and shared_with_role not in Role.values:
        raise ValidationError({"shared_with_role": "Choose a role."})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the view a name."})
    if SavedView.objects.filter(owner=owner, list_name=list_name, name=name).exists():
        raise ValidationError({"name": "You already have a saved view with this name."})
    return SavedView.objects.create(
        owner=owner,
        name=name,
        list_name=list_name,
        query=_clean_query(list_name, query),
        shared_with_role=shared_with_role,
    )


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, actor) -> None:
    """Only the owner (or a superuser) deletes a view; its subscriptions go with it."""
    if not (actor.is_superuser or saved_view.owner_id == actor.pk):
        raise PermissionDenied("Only the owner deletes a saved view.")
    saved_view.delete()


def saved_view_visible_to(*, saved_view: SavedView, user) -> bool:
    if saved_view.owner_id == user.pk or user.is_superuser:
        return True
    return bool(saved_view.shared_with_role) and user_has_role(user, saved_view.shared_with_role)


@transaction.atomic
def subscription_create(
    *, saved_view: SavedView, subscriber, frequency: str, send_time: dt.time, actor
) -> ReportSubscription:
    """Subscribe ``subscriber`` (the actor or other staff) to a saved view.

    The actor must see the view; the subscriber must be allowed the list (their
    own access decides which rows each report holds). One live subscription per
    person and view.
    """
    spec = SPECS[saved_view.list_name]
    if not saved_view_visible_to(saved_view=saved_view, user=actor):
        raise PermissionDenied("You cannot see this saved view.")
    if not (subscriber.is_active and spec.allowed(subscriber)):
        raise ValidationError(
            {"subscriber": f"{subscriber.display_name} cannot see the {spec.title.lower()} list."}
        )
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose daily or weekly."})
    try:
        with transaction.atomic():
            return ReportSubscription.objects.create(
                saved_view=saved_view,
                subscriber=subscriber,
                frequency=frequency,
                send_time=send_time,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"subscriber": f"{subscriber.display_name} already receives this report."}
        ) from exc


@transaction.atomic
def subscription_cancel(*, subscription: ReportSubscription) -> bool:
    """Stop a subscription (unsubscribe link or page); False when already stopped."""
    return bool(
        ReportSubscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    )


# --- the report job -------------------------------------------------------------------
def report_occurrence(*, subscription: ReportSubscription, now: dt.datetime) -> dt.date | None:
    """The business day whose report is due at ``now`` (business time zone), or None.

    Daily: every business day once ``send_time`` has passed. Weekly: the first
    business day of the week. Missed earlier days are not sent late.
    """
    calendar = business_calendar()
    local_now = timezone.localtime(now)
    today = local_now.date()
    if not calendar.is_business_day(today):
        return None
    if subscription.frequency == Frequency.WEEKLY:
        monday = today - dt.timedelta(days=today.weekday())
        first = monday if calendar.is_business_day(monday) else calendar.next_business_day(monday)
        if first != today:
            return None
    if local_now.time().replace(tzinfo=None) < subscription.send_time:
        return None
    return today


def report_email_key(*, subscription: ReportSubscription, day: dt.date) -> str:
    return f"reports:report:{subscription.pk}:{day.isoformat()}"


def report_send(*, subscription: ReportSubscription, day: dt.date) -> OutboundEmail | None:
    """Email one subscriber their report for ``day`` (once: the email key is per day)."""
    key = report_email_key(subscription=subscription, day=day)
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    saved_view = subscription.saved_view
    subscriber = subscription.subscriber
    spec = SPECS[saved_view.list_name]
    if not (subscriber.is_active and spec.allowed(subscriber)):
        logger.info("report %s skipped: %s may not see the list", key, subscriber.pk)
        return None
    qs = spec.queryset(subscriber, QueryDict(saved_view.query))
    total = qs.count()
    first_rows = [spec.cells(row) for row in islice(qs.iterator(chunk_size=100), REPORT_FIRST_ROWS)]
    attachment = csv_text(spec.columns, spec.rows(qs))
    link = access_link_issue(
        target=subscription,
        purpose=UNSUBSCRIBE_PURPOSE,
        email=subscriber.email,
        days=UNSUBSCRIBE_LINK_DAYS,
        revoke_previous=False,
    )
    page = reverse(spec.page) + (f"?{saved_view.query}" if saved_view.query else "")
    return email_queue(
        key=key,
        template="reports_report",
        to=[subscriber.email],
        context={
            "saved_view": saved_view,
            "list_title": spec.title,
            "day": day,
            "total": total,
            "columns": spec.columns,
            "rows": first_rows,
            "shown": len(first_rows),
            "page_path": page,
            "unsubscribe_path": reverse("reports:unsubscribe", args=[link.ref]),
        },
        related=subscription,
        attachments=[
            Attachment(
                filename=f"{saved_view.list_name}-{day.isoformat()}.csv",
                content=attachment,
                mimetype="text/csv",
            )
        ],
    )


def metric_record(*, name: str, value: int, day: dt.date) -> MetricSnapshot:
    """Record today's value of a metric (the last run of the day wins)."""
    snapshot, _ = MetricSnapshot.objects.update_or_create(
        name=name, date=day, defaults={"value": value, "recorded_at": timezone.now()}
    )
    return snapshot


def reports_run(*, now: dt.datetime | None = None) -> dict:
    """The reports job: record today's Problems count, email every report due.

    Idempotent: a report's email key is per subscription and day, so running
    the job twice (or on two workers) sends each report once.
    """
    from refresh.selectors import TicketFilters, focus_counts

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    problems = focus_counts(user=_job_user(), filters=TicketFilters())["problems"]
    metric_record(name=METRIC_PROBLEMS, value=problems, day=today)
    sent = 0
    subscriptions = ReportSubscription.objects.filter(
        unsubscribed_at__isnull=True, subscriber__is_active=True
    ).select_related("saved_view", "subscriber")
    for subscription in subscriptions.order_by("pk").iterator(chunk_size=200):
        day = report_occurrence(subscription=subscription, now=now)
        if day is None:
            continue
        with transaction.atomic():
            if report_send(subscription=subscription, day=day) is not None:
                sent += 1
    return {"problems": problems, "sent": sent}


class _JobUser:
    """The job reads every ticket (deny-by-default selectors need a user)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def has_perm(self, perm, obj=None):
        return True


def _job_user():
    return _JobUser()


# --- lifecycle policies ------------------------------------------------------------------
@transaction.atomic
def lifecycle_policy_save(
    *, actor, basis: str, months: int, hardware_model=None, platform: str = ""
) -> LifecyclePolicy:
    """Create or replace the policy of a hardware model or of a platform (one of the two)."""
    if not can_manage_lifecycle(actor):
        raise PermissionDenied("Only refresh administrators change lifecycle policies.")
    if bool(hardware_model) == bool(platform):
        raise ValidationError("Choose either a hardware model or a platform.")
    if basis not in LifecycleBasis.values:
        raise ValidationError({"basis": "Choose how systems reach end of life."})
    if not 1 <= months <= 240:
        raise ValidationError({"months": "Give between 1 and 240 months."})
    lookup = {"hardware_model": hardware_model} if hardware_model else {"platform": platform}
    policy, _ = LifecyclePolicy.objects.update_or_create(
        **lookup, defaults={"basis": basis, "months": months}
    )
    return policy


@transaction.atomic
def lifecycle_policy_delete(*, actor, policy: LifecyclePolicy) -> None:
    if not can_manage_lifecycle(actor):
        raise PermissionDenied("Only refresh administrators change lifecycle policies.")
    policy.delete()


# --- system dates importer ----------------------------------------------------------------
IMPORT_MAX_ROWS = 20000
IMPORT_COLUMNS = ("serial_number", "purchase_date", "warranty_end")


@dataclass
class ImportRow:
    line: int
    serial_number: str
    purchase_date: dt.date | None = None
    warranty_end: dt.date | None = None
    outcome: str = ""  # update, unchanged, not_found, invalid
    message: str = ""
    system_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "update"


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def updates(self) -> int:
        return self.count("update")


def _cell_date(value, line: int, column: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    month, _, rest = text.partition("/")
    day, _, year = rest.partition("/")
    if month.isdigit() and day.isdigit() and year.isdigit() and len(year) == 4:
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            pass
    raise ValueError(f"{column} {text!r} is not a date (use YYYY-MM-DD).")


def systems_import_read(*, filename: str, content: bytes) -> list[dict]:
    """Rows (dicts by lower-case header) from an uploaded CSV or XLSX file."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError("This Excel file could not be read.") from exc
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(values, [])]
        rows = [dict(zip(header, row, strict=False)) for row in values if any(row)]
        workbook.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("Save the CSV file as UTF-8.") from exc
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
        rows = [row for row in reader if any((v or "").strip() for v in row.values())]
    if "serial_number" not in (rows[0] if rows else {}):
        raise ValidationError("The file needs a serial_number column.")
    if len(rows) > IMPORT_MAX_ROWS:
        raise ValidationError(f"Import at most {IMPORT_MAX_ROWS} rows at a time.")
    return rows


def systems_import_preview(*, rows: list[dict]) -> ImportReport:
    """What importing ``rows`` would change, row by row (no writes; two queries)."""
    parsed: list[ImportRow] = []
    for line, raw in enumerate(rows, start=2):
        serial = str(raw.get("serial_number") or "").strip().upper()
        row = ImportRow(line=line, serial_number=serial)
        try:
            if not serial:
                raise ValueError("No serial number.")
            row.purchase_date = _cell_date(raw.get("purchase_date"), line, "purchase_date")
            row.warranty_end = _cell_date(raw.get("warranty_end"), line, "warranty_end")
        except ValueError as exc:
            row.outcome, row.message = "invalid", str(exc)
        parsed.append(row)
    serials = {row.serial_number for row in parsed if not row.outcome}
    found = {
        serial: (pk, purchased, warranty)
        for serial, pk, purchased, warranty in System.objects.filter(
            serial_number__in=serials
        ).values_list("serial_number", "pk", "purchase_date", "warranty_end")
    }
    seen: set[str] = set()
    for row in parsed:
        if row.outcome:
            continue
        if row.serial_number in seen:
            row.outcome, row.message = "invalid", "This serial number appears twice in the file."
            continue
        seen.add(row.serial_number)
        if row.serial_number not in found:
            row.outcome, row.message = "not_found", "No system with this serial number."
            continue
        pk, purchased, warranty = found[row.serial_number]
        row.system_id = pk
        new_purchase = row.purchase_date or purchased
        new_warranty = row.warranty_end or warranty
        if (new_purchase, new_warranty) == (purchased, warranty):
            row.outcome, row.message = "unchanged", "Already has these dates."
        else:
            row.outcome, row.message = "update", "Dates will be updated."
    return ImportReport(rows=parsed)


@transaction.atomic
def systems_lifecycle_update(*, actor, report: ImportReport) -> ImportReport:
    """Apply a preview: set purchase date / warranty end of the matched systems.

    Only the given dates change (an empty cell keeps the stored date); rows are
    locked in primary-key order. Systems are refresh's rows: refresh's
    ``systems_lifecycle_dates_set`` writes them.
    """
    if not can_import_systems(actor):
        raise PermissionDenied("Only refresh administrators import systems.")
    updates = {row.system_id: row for row in report.rows if row.ok}
    written = set(
        systems_lifecycle_dates_set(
            dates={pk: (row.purchase_date, row.warranty_end) for pk, row in updates.items()}
        )
    )
    for pk, row in updates.items():
        if pk in written:
            row.message = "Dates updated."
    return report


# --- forecast -> batch ---------------------------------------------------------------------
@transaction.atomic
def forecast_batch_start(
    *, actor, group: str, key: str, quarter: str, name: str, config, support_team=None
):
    """Create a refresh batch of exactly the systems in one forecast cell (through
    ``refresh.services.batch_create``); its page previews and creates the tickets."""
    serials = forecast_cell_serials(group=group, key=key, quarter=quarter)
    if not serials:
        raise ValidationError("No systems reach end of life in this cell.")
    return batch_create(
        name=name,
        config=config,
        serials_text="\n".join(serials),
        actor=actor,
        support_team=support_team,
    )


__all__ = [
    "ImportReport",
    "forecast_batch_start",
    "lifecycle_policy_delete",
    "lifecycle_policy_save",
    "metric_record",
    "report_occurrence",
    "report_send",
    "reports_run",
    "saved_view_create",
    "saved_view_delete",
    "subscription_cancel",
    "subscription_create",
    "systems_import_preview",
    "systems_import_read",
    "systems_lifecycle_update",
]
