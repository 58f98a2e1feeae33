"""Turn a service's error into form errors and a message a person can act on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def error_text(exc: Exception) -> str:
    """The error's messages joined in one sentence list."""
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def form_add_service_error(
    form, exc: Exception, *, request=None, field_map: dict[str, str] | None = None
) -> None:
    """Attach ``exc`` to ``form``: field errors to their fields, the rest to the form.

    A ``ValidationError`` with a message dict puts each message on the named
    field when the form has it (``field_map`` renames service fields to form
    fields), otherwise on the form as a whole. Any other error (a domain error)
    becomes a non-field error. With ``request`` the text is also flashed as an
    error message, for pages that show errors at the top.
    """
    field_map = field_map or {}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = field_map.get(name, name)
            for error in errors:
                form.add_error(target if target in form.fields else None, error)
    else:
        form.add_error(None, error_text(exc))
    if request is not None:
        messages.error(request, error_text(exc))
