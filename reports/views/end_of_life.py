"""End of life: the forecast, a batch from one forecast cell, lifecycle policies and the
system dates importer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import role_required
from common.forms import form_add_service_error
from reports import charts, selectors, services
from reports import forecast as fc
from reports.forms import (
    ForecastBatchForm,
    ForecastForm,
    LifecyclePolicyForm,
    SystemImportForm,
)
from reports.roles import (
    can_import_systems,
    can_manage_lifecycle,
    can_view_forecast,
)
from reports.views.dashboards import CSS
from reports.writers import csv_text


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
            "policies": selectors.lifecycle_policies(),
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
    policy = selectors.lifecycle_policy_get(pk=pk)
    if policy is None:
        raise Http404("No such lifecycle policy.")
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
    rows = [
        (row.serial_number, row.purchase_date, row.warranty_end) for row in report.rows if row.ok
    ]
    return csv_text(services.IMPORT_COLUMNS, rows).lstrip("\ufeff")
