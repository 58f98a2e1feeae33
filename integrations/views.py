"""The stand-in ITSM page: flip tickets, make assets exist, switch an outage on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.effects import effect_retry_now
from common.forms import error_text
from common.selectors import effects_attention_page

from . import selectors
from .effect_rows import effect_rows_html
from .jobs import ITSM_PAGE_JOBS, job_run_request, job_runs_latest
from .services import (
    stub_asset_create,
    stub_create_timeout_set,
    stub_outage_set,
    stub_ticket_set_status,
)
from .stub_rows import stub_rows_html

PERM = "integrations.use_itsm_stub"


@role_required(PERM)
def itsm_stub(request):
    """The stand-in ITSM: tickets to flip, assets to make exist, the outage switch."""
    q = request.GET.get("q", "").strip()
    page = selectors.stub_tickets_page(q=q, number=request.GET.get("page"))
    return render(
        request,
        "integrations/itsm_stub.html",
        {
            "page": page,
            "rows_html": stub_rows_html(
                page.object_list,
                csrf_token=get_token(request),
                next_url=request.get_full_path(),
            ),
            "q": q,
            "stub_settings": selectors.stub_settings(),
            "assets": selectors.stub_assets_recent(),
            "slack": selectors.stub_slack_recent(),
            "job_lines": job_runs_latest(jobs=ITSM_PAGE_JOBS),
        },
    )


@role_required(PERM)
def itsm_stub_ticket(request, pk):
    ticket = selectors.stub_ticket_get(ticket_id=pk)
    if ticket is None:
        raise Http404("No such ITSM ticket.")
    return render(request, "integrations/itsm_stub_ticket.html", {"ticket": ticket})


@require_POST
@role_required(PERM)
def itsm_stub_ticket_status(request, pk):
    status = request.POST.get("status", "")
    if not selectors.stub_ticket_exists(ticket_id=pk):
        raise Http404("No such ITSM ticket.")
    try:
        stub_ticket_set_status(ticket_id=pk, status=status, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"ITSM ticket {pk} is now {status}. The daily poll picks it up: "
            "“Run this job now” on refresh-itsm-poll (or manage.py run_job refresh-itsm-poll).",
        )
    next_url = request.POST.get("next", "")
    # Only a path on this site: anything else ("0", a view name, another host)
    # would be reversed as a view name by redirect() and fail (issue 14 item 10).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("integrations:itsm_stub")
    return redirect(next_url)


@require_POST
@role_required(PERM)
def itsm_stub_asset(request):
    try:
        asset, created = stub_asset_create(serial_number=request.POST.get("serial_number", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"Asset {asset.serial_number} {'now exists' if created else 'already existed'} "
            "in the ITSM; the next existence lookup finds it.",
        )
    return redirect("integrations:itsm_stub")


@require_POST
@role_required(PERM)
def itsm_stub_outage(request):
    on = request.POST.get("on") == "1"
    stub_outage_set(on=on)
    messages.warning(request, "ITSM outage switched on." if on else "ITSM outage switched off.")
    return redirect("integrations:itsm_stub")


@require_POST
@role_required(PERM)
def itsm_stub_create_timeout(request):
    on = request.POST.get("on") == "1"
    stub_create_timeout_set(on=on)
    messages.warning(
        request,
        "The next ITSM ticket create saves the ticket, then times out; its retry must find it."
        if on
        else "ITSM creates answer normally again.",
    )
    return redirect("integrations:itsm_stub")


# --- stuck and failing effects (the outbox, common/effects.py) -----------------
EFFECTS_PERM = "common.view_effect"


@role_required(EFFECTS_PERM)
def effects_list(request):
    """Effects that failed, keep failing, or were abandoned: why, and a retry button."""
    page = effects_attention_page(number=request.GET.get("page"))
    can_retry = request.user.has_perm("common.retry_effect")
    rows = effect_rows_html(
        page.object_list,
        can_retry=can_retry,
        csrf_token=get_token(request) if can_retry else "",
    )
    return render(
        request,
        "integrations/effects.html",
        {"page": page, "rows_html": rows, "can_retry": can_retry},
    )


@require_POST
@role_required(EFFECTS_PERM, "common.retry_effect")
def effect_retry(request, pk):
    """Run one effect again now (POST; the list shows its outcome)."""
    effect = effect_retry_now(effect_id=pk, actor=request.user)
    messages.success(request, f"{effect.short_name} for {effect.target} will run again now.")
    return redirect("integrations:effects")


def _safe_next(request, fallback: str) -> str:
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


@require_POST
@role_required(PERM)
def job_run(request):
    """Staff's "Run this job now": recorded (who, when) and run on the worker."""
    job = request.POST.get("job", "")
    try:
        job_run_request(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, f"{job} is queued on the worker; reload in a moment to see when it finished."
        )
    return redirect(_safe_next(request, "integrations:itsm_stub"))
