"""CSV/XLSX exports of the staff lists under their current filters (streamed)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports.exports import SPECS
from reports.writers import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx_stream


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
        content, content_type = csv_lines(spec.columns, spec.rows(qs)), CSV_TYPE
    else:
        content = xlsx_stream(spec.columns, spec.rows(qs), title=spec.title)
        content_type = XLSX_TYPE
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
