from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .choices import EmailStatus
from .links import links_redacted
from .models import OutboundEmail
from .outbox_rows import outbox_rows_html
from .resend import LinkResendRefused, access_link_resend, email_access_links
from .selectors import outbox_page


@permission_required("notifications.view_outboundemail", raise_exception=True)
def outbox(request):
    """The outbound log: every email Handover sent, searchable."""
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in EmailStatus.values:
        status = ""
    page = outbox_page(search=search, status=status, number=request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "rows_html": outbox_rows_html(page.object_list),
            "q": search,
            "status": status,
            "statuses": EmailStatus.choices,
        },
    )


@permission_required("notifications.view_outboundemail", raise_exception=True)
def outbox_detail(request, pk):
    email = get_object_or_404(OutboundEmail.objects.select_related("related_type"), pk=pk)
    # Staff never read someone else's live personal link (issue 14).
    body_text = links_redacted(email.body_text)
    return render(
        request,
        "notifications/outbox_detail.html",
        {
            "email": email,
            "body_text": body_text,
            "links": email_access_links(email=email),
            "can_resend": request.user.has_perm("notifications.resend_accesslink"),
        },
    )


@require_POST
@permission_required("notifications.resend_accesslink", raise_exception=True)
def outbox_resend(request, pk):
    """Send the email again with a new personal link to its owner (the old one stops)."""
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        copy = access_link_resend(email=email, actor=request.user)
    except LinkResendRefused as exc:
        messages.error(request, f"Not resent. {exc.reason}")
        return redirect("notifications:outbox_detail", pk=email.pk)
    messages.success(
        request,
        f"A new link was sent to {', '.join(copy.to)}; the link in the earlier email "
        "no longer works.",
    )
    return redirect("notifications:outbox_detail", pk=copy.pk)
