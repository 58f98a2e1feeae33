"""Saved views, their subscriptions, and the emailed unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.forms import form_add_service_error
from notifications.links import LinkInvalid, access_link_resolve, client_key_for
from reports import selectors, services
from reports.exports import SPECS
from reports.forms import (
    SavedViewForm,
    SubscriptionForm,
)
from reports.models import SavedView
from reports.roles import (
    can_save_views,
)


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
    view = selectors.saved_view_for(user=request.user, pk=pk)
    if view is None:
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
    subscriptions = selectors.subscriptions_live(saved_view=view)
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
    subscription = selectors.subscription_get(pk=pk)
    if subscription is None:
        raise Http404("No such subscription.")
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
    subscription = selectors.subscription_get(pk=int(link.target_id))
    if subscription is None:
        return render(
            request,
            "reports/unsubscribe.html",
            {"error": "This report no longer exists."},
            status=410,
        )
    done = subscription.unsubscribed_at is not None
    if request.method == "POST":
        services.subscription_cancel(subscription=subscription)
        done = True
    return render(request, "reports/unsubscribe.html", {"subscription": subscription, "done": done})
