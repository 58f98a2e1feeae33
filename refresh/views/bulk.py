"""Administrator pages: order group (replacement assignment), batches, bulk creation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.forms import error_text, form_add_service_error
from refresh import selectors, services
from refresh.forms import BatchForm, BulkCreateFilterForm, BulkCreateForm, TicketCreateForm
from refresh.models import RefreshBatch
from refresh.views.batch_rows import batch_rows_html

from ._common import PAGE_SIZE, administrator_required, staff_required


@administrator_required
def order_group(request):
    """Select pending_ordering tickets, type replacement serials, assign and advance."""
    config_id = (request.GET.get("config") or "").strip()
    q = (request.GET.get("q") or "").strip()[:100]
    tickets = selectors.tickets_pending_ordering(user=request.user, config_id=config_id, q=q)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    report = None
    # What the user typed and ticked, shown again when anything is refused.
    entered: dict[int, str] = {}
    selected_ids: set[int] = set()
    if request.method == "POST":
        for name, value in request.POST.items():
            if name.startswith("serial-") and name[7:].isdigit():
                entered[int(name[7:])] = value.strip()[:100]
        selected_ids = {int(pk) for pk in request.POST.getlist("ticket") if pk.isdigit()}
        assignments = [(pk, entered.get(pk, "")) for pk in sorted(selected_ids)]
        if not assignments:
            messages.error(request, "Select at least one ticket and type its replacement serial.")
        else:
            try:
                report = services.tickets_assign_replacements_bulk(
                    assignments=assignments, actor=request.user
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                if report.applied:
                    messages.success(
                        request,
                        f"{report.ok_count} tickets advanced to pending ITSM existence.",
                    )
                    return redirect(request.get_full_path())
                messages.error(request, "Nothing was assigned: fix the rows below and try again.")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "refresh/staff/order_group.html",
        {
            "page": page,
            "report": report,
            "entered": entered,
            "selected_ids": selected_ids,
            "configs": selectors.configs_by_name(),
            "config_id": config_id,
            "q": q,
            "stock": selectors.stock_systems()[:300],
            "querystring": params.urlencode(),
        },
    )


@staff_required
def batch_list(request):
    page = selectors.batches_page(user=request.user, number=request.GET.get("page"))
    return render(request, "refresh/staff/batch_list.html", {"page": page})


@administrator_required
def batch_create(request):
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_create(
                name=data["name"],
                config=data["config"],
                serials_text=data["serials_text"],
                style=data["style"],
                support_team=data["support_team"],
                actor=request.user,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"Batch {batch.name} saved. Review the lookup below.")
            return redirect("refresh:batch_detail", pk=batch.pk)
    return render(request, "refresh/staff/batch_form.html", {"form": form})


def _batch_or_404(user, pk) -> RefreshBatch:
    batch = selectors.batch_for_staff(user=user, batch_id=pk)
    if batch is None:
        raise Http404("No such batch.")
    return batch


@staff_required
def batch_detail(request, pk: int):
    batch = _batch_or_404(request.user, pk)
    if batch.tickets_created_at:
        page = selectors.batch_rows_page(batch=batch, number=request.GET.get("page"))
        return render(
            request,
            "refresh/staff/batch_detail.html",
            {
                "batch": batch,
                "page": page,
                "rows_html": batch_rows_html(page.object_list),
                "created": True,
            },
        )
    preview = services.batch_preview(batch=batch)
    summary: dict[str, int] = {}
    for row in preview:
        summary[row.outcome_label] = summary.get(row.outcome_label, 0) + 1
    found = sum(1 for row in preview if row.outcome == "found")
    return render(
        request,
        "refresh/staff/batch_detail.html",
        {
            "batch": batch,
            "preview": preview,
            "summary": sorted(summary.items()),
            "found": found,
            "created": False,
        },
    )


@require_POST
@administrator_required
def batch_create_tickets(request, pk: int):
    batch = _batch_or_404(request.user, pk)
    try:
        report = services.batch_create_tickets(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"{report.ok_count} tickets created; {report.error_count} rows skipped.",
        )
    return redirect("refresh:batch_detail", pk=pk)


@administrator_required
def bulk_create(request):
    """Open tickets for existing systems picked from a filtered list."""
    filter_form = BulkCreateFilterForm(request.GET or None)
    filter_form.is_valid()
    data = getattr(filter_form, "cleaned_data", {}) or {}
    systems = selectors.systems_for_bulk_creation(
        user=request.user,
        q=data.get("q") or "",
        organization_id=str(data["organization"].pk) if data.get("organization") else "",
        platform=data.get("platform") or "",
    )
    page = Paginator(systems, PAGE_SIZE).get_page(request.GET.get("page"))
    form = BulkCreateForm(request.POST or None)
    report = None
    if request.method == "POST":
        ids = [pk for pk in request.POST.getlist("system") if pk.isdigit()]
        if not ids:
            messages.error(request, "Select at least one system.")
        elif form.is_valid():
            try:
                report = services.tickets_create_for_systems(
                    systems=[int(pk) for pk in ids],
                    config=form.cleaned_data["config"],
                    style=form.cleaned_data["style"] or None,
                    support_team=form.cleaned_data["support_team"],
                    actor=request.user,
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "refresh/staff/bulk_create.html",
        {
            "filter_form": filter_form,
            "form": form,
            "page": page,
            "report": report,
            "querystring": params.urlencode(),
        },
    )


@administrator_required
def ticket_create(request):
    """One ticket by hand: any style, bump-down with its replacement named now."""
    form = TicketCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create(
                system=form.system,
                config=data["config"],
                style=data["style"] or None,
                support_team=data["support_team"],
                replacement_system=form.replacement,
                actor=request.user,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"{ticket.number} created ({ticket.get_status_display()}).")
            return redirect("refresh:ticket_detail", pk=ticket.pk)
    return render(request, "refresh/staff/ticket_form.html", {"form": form})
