"""Errors as RFC 9457 problem details (``application/problem+json``).

``{"type", "title", "status", "detail", "errors": {field: [messages]}}``; the
services' ``ValidationError`` (the same messages the pages show) become 400,
or 409 when the action does not apply to the object's current status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://handover.example.edu/problems/"

TITLES = {
    400: "Invalid request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _field_errors(detail) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {}
    return {str(field): _flatten(value) for field, value in detail.items()}


def _from_django(exc: DjangoValidationError) -> exceptions.APIException:
    codes = {getattr(exc, "code", None)} | {
        getattr(e, "code", None) for e in getattr(exc, "error_list", [])
    }
    if "permission_denied" in codes:
        return exceptions.PermissionDenied(" ".join(exc.messages))
    if hasattr(exc, "error_dict"):
        error = exceptions.ValidationError(
            {"non_field_errors" if k == "__all__" else k: v for k, v in exc.message_dict.items()}
        )
    else:
        error = exceptions.ValidationError({"non_field_errors": exc.messages})
    if "transition_not_allowed" in codes:
        error.status_code = status.HTTP_409_CONFLICT
    return error


def problem_response(
    *, status_code: int, detail: str, errors: dict | None = None, code: str = ""
) -> Response:
    title = TITLES.get(status_code, "Error")
    body = {
        "type": PROBLEM_BASE + (code or title.lower().replace(" ", "-")),
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    errors = _field_errors(detail)
    if errors:
        message = "Check the fields listed in errors."
        if list(errors) == ["non_field_errors"]:
            message = " ".join(errors["non_field_errors"])
    else:
        message = " ".join(_flatten(detail))
    problem = problem_response(
        status_code=response.status_code,
        detail=message,
        errors=errors,
        code=getattr(exc, "default_code", ""),
    )
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem


def page_not_found(request, exception):
    """The project's 404 handler: problem+json under /api/, Django's page elsewhere.

    A URL no API route matches (``/api/v1/orders/1/actions/-5/process/``) never
    reaches DRF, so without this it would answer with an HTML page.
    """
    if request.path.startswith("/api/"):
        title = TITLES.get(404, "Not Found")
        return JsonResponse(
            {
                "type": PROBLEM_BASE + title.lower().replace(" ", "-"),
                "title": title,
                "status": 404,
                "detail": "No API resource at this address.",
            },
            status=404,
            content_type=PROBLEM_CONTENT_TYPE,
        )
    return defaults.page_not_found(request, exception)
