"""The person's own API keys page: create (token shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.forms import form_add_service_error

from .forms import ApiKeyForm
from .selectors import api_keys_for_user
from .services import api_key_create, api_key_revoke


@never_cache
@login_required
def api_key_list(request):
    form = ApiKeyForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        try:
            key, token = api_key_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
                created_by=request.user,
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"API key “{key.name}” created. Copy it now.")
            form = ApiKeyForm()
    return render(
        request,
        "api/api_keys.html",
        {"form": form, "token": token, "keys": api_keys_for_user(user=request.user)},
    )


@require_POST
@login_required
def api_key_revoke_view(request, pk: int):
    key = get_object_or_404(api_keys_for_user(user=request.user), pk=pk)
    api_key_revoke(key=key, actor=request.user)
    messages.success(request, f"API key “{key.name}” revoked; it no longer works.")
    return redirect("api_keys:list")
