"""Staff pages: endpoints (register, edit) and every delivery, with redeliver."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.forms import error_text, form_add_service_error

from .forms import DeliveryFilterForm, EndpointForm
from .selectors import deliveries_for_staff, endpoints_for_staff
from .services import webhook_endpoint_create, webhook_endpoint_update, webhook_redeliver

PAGE_SIZE = 50


@role_required("webhooks.view_webhookdelivery")
def delivery_list(request):
    form = DeliveryFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    endpoint = request.GET.get("endpoint", "")
    deliveries = deliveries_for_staff(
        user=request.user,
        status=status,
        endpoint_id=int(endpoint) if endpoint.isdigit() else None,
    )
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "webhooks/deliveries.html",
        {
            "form": form,
            "page": page,
            "endpoints": endpoints_for_staff(user=request.user),
            "querystring": params.urlencode(),
        },
    )


def _endpoint_or_404(request, pk):
    endpoint = endpoints_for_staff(user=request.user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404("No such endpoint.")
    return endpoint


@role_required("webhooks.add_webhookendpoint")
def endpoint_create(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhook_endpoint_create(
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Endpoint registered. Its signing secret is shown below.")
            return redirect("webhooks:endpoint_edit", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@role_required("webhooks.change_webhookendpoint")
def endpoint_edit(request, pk: int):
    endpoint = _endpoint_or_404(request, pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "active": endpoint.active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("webhooks:endpoint_edit", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@require_POST
@role_required("webhooks.view_webhookdelivery")
def delivery_redeliver(request, pk: int):
    delivery = deliveries_for_staff(user=request.user).filter(pk=pk).first()
    if delivery is None:
        raise Http404("No such delivery.")
    try:
        copy = webhook_redeliver(delivery=delivery, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Delivery {delivery.pk} queued again as delivery {copy.pk}.")
    return redirect("webhooks:delivery_list")
