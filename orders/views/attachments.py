"""The one attachment download: the portal and the staff pages share it.

Who may download is the URL's ``audience`` (passed by ``orders.urls``): orders
staff any attachment; coordinators the attachments of client-viewable messages
of orders they see (``orders.selectors.attachment_for_download``). Files are
never served from a public media URL.
"""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from common.http import stored_file_response
from orders.selectors import attachment_for_download, user_is_coordinator

GATES = {
    "staff": role_required("orders.work_order", message="The order manager is for orders staff."),
    "portal": role_required(
        check=user_is_coordinator, message="The order portal is for coordinators."
    ),
}


def attachment_download(request, *, audience: str, pk: int, number: int | None = None):
    """Serve the attachment to whoever ``audience`` admits (403/login otherwise, 404 unseen)."""
    return GATES[audience](_serve)(request, pk=pk, number=number)


@require_GET
def _serve(request, *, pk: int, number: int | None):
    attachment = attachment_for_download(user=request.user, pk=pk, number=number)
    if attachment is None:
        raise Http404("No such attachment.")
    return stored_file_response(
        attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )
