"""Reports pages: thin views over reports.selectors / reports.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import role_required
from common.forms import form_add_service_error
from notifications.links import LinkInvalid, access_link_resolve, client_key_for

from . import charts, selectors, services
from . import forecast as fc
from .exports import SPECS
from .forms import (
    ForecastBatchForm,
    ForecastForm,
    LifecyclePolicyForm,
    RefreshDashboardForm,
    SavedViewForm,
    SubscriptionForm,
    SystemImportForm,
)
from .models import LifecyclePolicy, ReportSubscription, SavedView
from .roles import (
    can_import_systems,
    can_manage_lifecycle,
    can_save_views,
    can_see_reports,
    can_view_forecast,
    can_view_orders_dashboard,
    can_view_refresh_dashboard,
)
from .writers import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx_file

CSS = "css/reports.css"


@role_required(check=can_see_reports)
def index(request):
    user = request.user
    views = selectors.saved_views_for(user=user)
    subscriptions = ReportSubscription.objects.filter(
        subscriber=user, unsubscribed_at__isnull=True
    ).select_related("saved_view")
    rows = [
        {
            "view": view,
            "list_title": SPECS[view.list_name].title,
            "url": reverse(SPECS[view.list_name].page) + (f"?{view.query}" if view.query else ""),
        }
        for view in views
    ]
    return render(
        request,
        "reports/index.html",
        {
            "saved_views": rows,
            "subscriptions": subscriptions,
            "can_refresh": can_view_refresh_dashboard(user),
            "can_orders": can_view_orders_dashboard(user),
            "can_forecast": can_view_forecast(user),
            "can_import": can_import_systems(user),
        },
    )


# --- dashboards ---------------------------------------------------------------------------
def _fmt_day(day) -> str:
    return f"{day:%b} {day.day}"


@role_required(check=can_view_refresh_dashboard)
@require_GET
def refresh_dashboard(request):
    filters = RefreshDashboardForm.filters_from(request.GET)
    data = selectors.refresh_dashboard_cached(user=request.user, filters=filters)
    form = RefreshDashboardForm(request.GET or None, choices=data.choices)
    if form.is_bound:
        form.is_valid()
    list_url = reverse("refresh:ticket_list")
    stuck = [
        (value, label, n, f"{list_url}?status={value}&sort=changed")
        for value, label, n in data.stuck
    ]
    burndown = data.burndown
    context = {
        "form": form,
        "data": data,
        "stuck": stuck,
        "funnel_chart": charts.bar_chart(
            title="Tickets per status now", rows=[(label, n) for _, label, n in data.funnel]
        ),
        "burndown_chart": charts.column_chart(
            title="Open tickets per day",
            labels=[_fmt_day(day) for day, _ in burndown],
            series=[("Open tickets", [n for _, n in burndown])],
            line=True,
        ),
        "installs_chart": charts.column_chart(
            title="Installs per week against slot capacity",
            labels=[_fmt_day(week) for week, _, _ in data.installs_by_week],
            series=[
                ("Installs", [i for _, i, _ in data.installs_by_week]),
                ("Slot capacity", [c for _, _, c in data.installs_by_week]),
            ],
        ),
        "durations_chart": charts.column_chart(
            title="Median and 90th percentile days in each status",
            labels=[str(i + 1) for i in range(len(data.durations))],
            series=[
                ("Median", [row["median"] for row in data.durations]),
                ("90th percentile", [row["p90"] for row in data.durations]),
            ],
        ),
        "stuck_chart": charts.bar_chart(
            title=f"Tickets in their status since before {data.stuck_before:%b %d}",
            rows=[(label, n) for _, label, n, _ in stuck],
        ),
        "approvals_chart": charts.bar_chart(
            title="Approvals waiting per approver", rows=data.approvals
        ),
        "problems_chart": charts.column_chart(
            title="Problems per day",
            labels=[_fmt_day(day) for day, _ in data.problems],
            series=[("Problems", [n for _, n in data.problems])],
            line=True,
        ),
        "css": CSS,
    }
    return render(request, "reports/refresh_dashboard.html", context)


@role_required(check=can_view_orders_dashboard)
@require_GET
def orders_dashboard(request):
    queue = request.GET.get("queue", "")
    data = selectors.orders_dashboard_cached(queue_id=int(queue) if queue.isdigit() else None)
    by_queue: dict[str, int] = {}
    for row in data.open_by_queue_owner:
        by_queue[row["queue"]] = by_queue.get(row["queue"], 0) + row["count"]
    context = {
        "data": data,
        "queue": queue,
        "open_chart": charts.bar_chart(
            title="Open requests per queue", rows=sorted(by_queue.items())
        ),
        "weekly_chart": charts.column_chart(
            title="Requests created and completed per week",
            labels=[_fmt_day(week) for week, _, _ in data.created_vs_completed],
            series=[
                ("Created", [c for _, c, _ in data.created_vs_completed]),
                ("Completed", [d for _, _, d in data.created_vs_completed]),
            ],
        ),
        "on_time_chart": charts.column_chart(
            title="Completed on time and late, per type",
            labels=[row["label"] for row in data.on_time],
            series=[
                ("On time", [row["on_time"] for row in data.on_time]),
                ("Late", [row["late"] for row in data.on_time]),
            ],
        ),
        "action_chart": charts.bar_chart(
            title="Median days per step",
            rows=[
                (f"{row['queue']} · {row['position']}. {row['name']}"[:40], row["median"])
                for row in data.action_times
            ],
        ),
        "css": CSS,
    }
    from .time_logged import dashboard_time_logged  # issue 13: time logged on requests

    context["time_logged"] = dashboard_time_logged(queue_id=int(queue) if queue.isdigit() else None)
    return render(request, "reports/orders_dashboard.html", context)


# --- exports --------------------------------------------------------------------------------
@require_GET
def export(request, list_name: str, fmt: str):
    """The rows of a staff list under its current filters, as CSV or XLSX, streamed."""
    spec = SPECS.get(list_name)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not spec.allowed(request.user):
        raise PermissionDenied("Your role does not give access to this list.")
    qs = spec.queryset(request.user, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{list_name}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(spec.columns, spec.rows(qs)), content_type=CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = xlsx_file(spec.columns, spec.rows(qs), title=spec.title)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


# --- saved views and subscriptions -----------------------------------------------------------
@role_required(check=can_save_views)
def saved_view_create(request):
    source = request.POST if request.method == "POST" else request.GET
    initial = {"list_name": source.get("list_name", ""), "query": source.get("query", "")}
    spec = SPECS.get(initial["list_name"])
    if spec is None:
        raise Http404("No such list.")
    if not spec.allowed(request.user):
        raise PermissionDenied("Your role does not give access to this list.")
    form = SavedViewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            view = services.saved_view_create(owner=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"Saved the view “{view.name}”.")
            return redirect("reports:saved_view", pk=view.pk)
    return render(
        request,
        "reports/saved_view_form.html",
        {"form": form, "spec": spec, "query": initial["query"]},
    )


def _saved_view_or_404(request, pk: int) -> SavedView:
    view = get_object_or_404(SavedView.objects.select_related("owner"), pk=pk)
    if not services.saved_view_visible_to(saved_view=view, user=request.user):
        raise Http404("No such saved view.")
    return view


@role_required(check=can_save_views)
def saved_view_detail(request, pk: int):
    view = _saved_view_or_404(request, pk)
    spec = SPECS[view.list_name]
    staff = selectors.staff_people()
    form = SubscriptionForm(
        request.POST or None, staff=staff, initial={"subscriber": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_create(saved_view=view, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['subscriber'].display_name} will receive this report."
            )
            return redirect("reports:saved_view", pk=view.pk)
    subscriptions = view.subscriptions.filter(unsubscribed_at__isnull=True).select_related(
        "subscriber"
    )
    return render(
        request,
        "reports/saved_view.html",
        {
            "view": view,
            "spec": spec,
            "form": form,
            "subscriptions": subscriptions,
            "page_url": reverse(spec.page) + (f"?{view.query}" if view.query else ""),
            "query": view.query,
            "filters": list(QueryDict(view.query).lists()),
            "is_owner": view.owner_id == request.user.pk or request.user.is_superuser,
        },
    )


@role_required(check=can_save_views)
@require_POST
def saved_view_delete(request, pk: int):
    view = _saved_view_or_404(request, pk)
    try:
        services.saved_view_delete(saved_view=view, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("reports:saved_view", pk=view.pk)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect("reports:index")


@role_required(check=can_save_views)
@require_POST
def subscription_stop(request, pk: int):
    subscription = get_object_or_404(ReportSubscription.objects.select_related("saved_view"), pk=pk)
    view = subscription.saved_view
    allowed = (
        subscription.subscriber_id == request.user.pk
        or view.owner_id == request.user.pk
        or request.user.is_superuser
    )
    if not allowed:
        raise PermissionDenied("Only the subscriber or the view's owner stops a subscription.")
    services.subscription_cancel(subscription=subscription)
    messages.success(request, "The report will no longer be sent.")
    return redirect("reports:saved_view", pk=view.pk)


def unsubscribe(request, token: str):
    """The emailed unsubscribe link: GET shows a button, POST stops the subscription."""
    try:
        link = access_link_resolve(
            token=token, purpose=services.UNSUBSCRIBE_PURPOSE, client_key=client_key_for(request)
        )
    except LinkInvalid as exc:
        return render(request, "reports/unsubscribe.html", {"error": exc.reason}, status=410)
    subscription = ReportSubscription.objects.select_related("saved_view").get(
        pk=int(link.target_id)
    )
    done = subscription.unsubscribed_at is not None
    if request.method == "POST":
        services.subscription_cancel(subscription=subscription)
        done = True
    return render(request, "reports/unsubscribe.html", {"subscription": subscription, "done": done})


# --- end of life -------------------------------------------------------------------------------
@role_required(check=can_view_forecast)
@require_GET
def forecast(request):
    form = ForecastForm(request.GET or None)
    group = "team"
    if form.is_valid() and form.cleaned_data["group"]:
        group = form.cleaned_data["group"]
    data = fc.forecast(group=group)
    return render(
        request,
        "reports/forecast.html",
        {
            "form": form,
            "data": data,
            "group": group,
            "chart": charts.column_chart(
                title="Systems reaching end of life per quarter",
                labels=[q.label for q in data.quarters],
                series=[("Systems", data.totals)],
            ),
            "policies": LifecyclePolicy.objects.select_related("hardware_model").order_by(
                "platform", "hardware_model__manufacturer", "hardware_model__name"
            ),
            "can_start_batch": request.user.has_perm("refresh.bulk_manage_refreshticket"),
            "can_manage": can_manage_lifecycle(request.user),
            "css": CSS,
        },
    )


@role_required("refresh.bulk_manage_refreshticket", check=can_view_forecast)
def forecast_batch(request):
    """Start a refresh batch of the systems of one forecast cell."""
    source = request.POST if request.method == "POST" else request.GET
    group, key, quarter = source.get("group", ""), source.get("key", ""), source.get("quarter", "")
    serials = fc.forecast_cell_serials(group=group, key=key, quarter=quarter)
    label = quarter if quarter != fc.OVERDUE else "past end of life"
    form = ForecastBatchForm(
        request.POST or None,
        initial={"group": group, "key": key, "quarter": quarter, "name": f"End of life {label}"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.forecast_batch_start(actor=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(
                request, f"Batch “{batch.name}” holds {len(serials)} systems: review and create."
            )
            return redirect("refresh:batch_detail", pk=batch.pk)
    return render(
        request,
        "reports/forecast_batch.html",
        {"form": form, "serials": serials, "label": label},
    )


@role_required(check=can_manage_lifecycle)
def lifecycle_policy(request):
    form = LifecyclePolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lifecycle_policy_save(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Lifecycle policy saved.")
            return redirect("reports:forecast")
    return render(request, "reports/policy_form.html", {"form": form})


@role_required(check=can_manage_lifecycle)
@require_POST
def lifecycle_policy_delete(request, pk: int):
    policy = get_object_or_404(LifecyclePolicy, pk=pk)
    services.lifecycle_policy_delete(actor=request.user, policy=policy)
    messages.success(request, "Lifecycle policy deleted.")
    return redirect("reports:forecast")


@role_required(check=can_import_systems)
def systems_import(request):
    """Upload → preview per row → apply (the preview's file travels in a hidden field)."""
    form = SystemImportForm(request.POST or None, request.FILES or None)
    report, payload = None, ""
    if request.method == "POST" and request.POST.get("apply"):
        payload = request.POST.get("payload", "")
        try:
            rows = services.systems_import_read(filename="import.csv", content=payload.encode())
        except ValidationError:
            messages.error(request, "Nothing to apply: upload the file again.")
            return redirect("reports:systems_import")
        report = services.systems_import_preview(rows=rows)
        services.systems_lifecycle_update(actor=request.user, report=report)
        messages.success(request, f"Updated the dates of {report.updates} systems.")
        return render(
            request, "reports/systems_import.html", {"form": None, "report": report, "done": True}
        )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = services.systems_import_read(filename=upload.name, content=upload.read())
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            report = services.systems_import_preview(rows=rows)
            payload = _payload(report)
    return render(
        request,
        "reports/systems_import.html",
        {"form": form, "report": report, "payload": payload, "done": False},
    )


def _payload(report) -> str:
    """The rows to apply, as CSV, carried to the apply step."""
    from .writers import csv_text

    rows = [
        (row.serial_number, row.purchase_date, row.warranty_end) for row in report.rows if row.ok
    ]
    return csv_text(services.IMPORT_COLUMNS, rows).lstrip("\ufeff")
