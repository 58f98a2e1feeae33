"""Refresh config pages (administrators edit; managers read)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from common.forms import form_add_service_error
from refresh import selectors, services
from refresh.forms import RefreshConfigForm
from refresh.models import RefreshConfig
from refresh.roles import can_manage_configs

from ._common import PAGE_SIZE, config_manager_required, staff_required


@staff_required
def config_list(request):
    page = Paginator(selectors.configs_for_staff(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "refresh/staff/config_list.html",
        {"page": page, "can_edit": can_manage_configs(request.user)},
    )


@staff_required
def config_detail(request, pk: int):
    try:
        config = selectors.config_detail(user=request.user, config_id=pk)
    except RefreshConfig.DoesNotExist as exc:
        raise Http404("No such config.") from exc
    return render(
        request,
        "refresh/staff/config_detail.html",
        {
            "config": config,
            "audits": selectors.config_audits(config=config),
            "can_edit": can_manage_configs(request.user),
        },
    )


def _config_form(request, config=None):
    form = RefreshConfigForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.config_save(actor=request.user, data=form.cleaned_data, config=config)
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"Config {saved.name} saved.")
            return redirect("refresh:config_detail", pk=saved.pk)
    return render(request, "refresh/staff/config_form.html", {"form": form, "config": config})


@config_manager_required
def config_create(request):
    return _config_form(request)


@config_manager_required
def config_edit(request, pk: int):
    try:
        config = selectors.config_for_edit(user=request.user, config_id=pk)
    except RefreshConfig.DoesNotExist as exc:
        raise Http404("No such config.") from exc
    return _config_form(request, config)
