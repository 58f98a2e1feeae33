"""The reports job: today's metrics and every saved-view report due, emailed once a day
per subscription (the email key is per subscription and day)."""

from __future__ import annotations

import datetime as dt
import logging
from itertools import islice

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from notifications.links import access_link_issue
from notifications.models import OutboundEmail
from notifications.services import Attachment, email_queue
from reports.choices import Frequency
from reports.exports import SPECS
from reports.models import MetricSnapshot, ReportSubscription
from reports.selectors import METRIC_PROBLEMS
from reports.writers import XLSX_TYPE, csv_text, xlsx_file
from scheduling.calendar import business_calendar

logger = logging.getLogger(__name__)

REPORT_FIRST_ROWS = 10
UNSUBSCRIBE_PURPOSE = "report_unsubscribe"
UNSUBSCRIBE_LINK_DAYS = 120


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
    """Email one subscriber their report for ``day`` (once: the email key is per day),
    the full export attached as CSV and as Excel."""
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
    # The same rows as Excel (a second read: both files stream, neither is built
    # from the other in memory).
    with xlsx_file(spec.columns, spec.rows(qs), title=spec.title) as handle:
        workbook = handle.read()
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
            ),
            Attachment.from_bytes(
                filename=f"{saved_view.list_name}-{day.isoformat()}.xlsx",
                data=workbook,
                mimetype=XLSX_TYPE,
            ),
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
