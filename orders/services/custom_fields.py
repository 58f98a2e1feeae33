"""Answers to a request type's custom fields: which fields show, what a submission
needs, how answers read. The form checks each input's shape; these rules run
again here, on the server, for every write.

A field with "only when field X has value Y" shows only while X itself shows and
has Y. Answers to hidden fields are dropped before anything else looks at them,
so a value posted for a hidden field can neither be stored nor make another
field disappear: a required field that shows is always required.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from orders.models import CustomField, Order, OrderMessage
from orders.request_choices import FieldKind

from .messages import _attach, attachment_errors


def fields_for(request_type, *, include_archived: bool = False) -> list[CustomField]:
    """The type's fields in form order (one query)."""
    if request_type is None:
        return []
    qs = CustomField.objects.filter(request_type=request_type).select_related("show_when")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return list(qs.order_by("position", "id"))


def _matches(value, expected: str) -> bool:
    if isinstance(value, list):
        return expected in value
    if isinstance(value, dict):
        return False
    return str(value) == expected


def fields_shown(fields: list[CustomField], values: dict) -> list[CustomField]:
    """The fields that show for these answers (conditions through shown fields only)."""
    by_id = {f.id: f for f in fields}
    memo: dict[int, bool] = {}

    def shown(field: CustomField, seen: frozenset = frozenset()) -> bool:
        if field.id in memo:
            return memo[field.id]
        if field.show_when_id is None:
            result = True
        else:
            controller = by_id.get(field.show_when_id)
            result = (
                controller is not None
                and controller.id not in seen
                and shown(controller, seen | {field.id})
                and controller.key in values
                and _matches(values[controller.key], field.show_when_value)
            )
        memo[field.id] = result
        return result

    return [f for f in fields if shown(f)]


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def value_errors(field: CustomField, value) -> str:
    """Why ``value`` is not a valid answer to ``field`` ("" when it is)."""
    if _empty(value):
        return ""
    if field.kind == FieldKind.NUMBER:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return "Enter a number."
        if field.min_number is not None and number < field.min_number:
            return f"Enter {field.min_number.normalize():f} or more."
        if field.max_number is not None and number > field.max_number:
            return f"Enter {field.max_number.normalize():f} or less."
    elif field.kind == FieldKind.DATE:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return "Enter a date."
        if field.min_date and day < field.min_date:
            return f"Choose {_day(field.min_date)} or later."
        if field.max_date and day > field.max_date:
            return f"Choose {_day(field.max_date)} or earlier."
    elif field.kind == FieldKind.CHOICE:
        if value not in field.choices:
            return "Choose one of the options."
    elif field.kind == FieldKind.MULTIPLE_CHOICE:
        if not isinstance(value, list) or any(v not in field.choices for v in value):
            return "Choose among the options."
    elif field.kind == FieldKind.YES_NO and value not in ("yes", "no"):
        return "Answer yes or no."
    return ""


def custom_values_check(
    *, fields: list[CustomField], values: dict, for_submit: bool
) -> tuple[dict, dict[str, str]]:
    """The answers kept (shown fields only) and the errors by field key.

    ``for_submit``: every required field that shows must be answered.
    """
    known = {f.key for f in fields}
    answers = {k: v for k, v in values.items() if k in known}
    shown = fields_shown(fields, answers)
    kept: dict = {}
    errors: dict[str, str] = {}
    for field in shown:
        value = answers.get(field.key)
        if _empty(value):
            if for_submit and field.required:
                errors[field.key] = f"{field.label}: this is required."
            continue
        message = value_errors(field, value)
        if message:
            errors[field.key] = f"{field.label}: {message}"
        else:
            kept[field.key] = value
    return kept, errors


def custom_files_store(
    *, order: Order, author, fields, files: dict, values: dict
) -> dict[str, str]:
    """Files of file fields become attachments of one client message (the thread's
    rules); ``values`` gets each stored file's answer. Staff-defined and built-in
    types both store their files here. Returns the refused files' messages by key."""
    errors: dict[str, str] = {}
    uploads = []
    for field in fields:
        upload = files.get(field.key)
        if field.kind != FieldKind.FILE or upload is None:
            continue
        problems = attachment_errors(upload)
        if problems:
            errors[field.key] = f"{field.label}: {' '.join(problems)}"
        else:
            uploads.append((field, upload))
    if errors or not uploads:
        return errors
    message = OrderMessage.objects.create(
        order=order,
        kind="reply",
        body="Files given with the request form: "
        + ", ".join(f"{f.label} ({u.name})" for f, u in uploads)
        + ".",
        author=author if getattr(author, "is_authenticated", False) else None,
        from_client=True,
    )
    for field, upload in uploads:
        attachment = _attach(message=message, upload=upload)
        values[field.key] = {"attachment_id": attachment.pk, "filename": attachment.filename}
    return errors


def _builtin_type(order_type: str):
    from orders.models import RequestType

    return RequestType.objects.filter(builtin_type=order_type).first()


def builtin_custom_values(*, order_type: str, values: dict, order: Order | None = None) -> dict:
    """A built-in type's draft ``values`` with its custom answers checked on the server
    (hidden fields dropped, ranges and options checked) and the type's row named;
    answers to removed fields stay as they were."""
    if "custom_values" not in values:
        return values
    values = dict(values)
    answers = values.pop("custom_values") or {}
    request_type = _builtin_type(order_type)
    if request_type is None:
        return values
    # Files are stored by ``custom_files_store``; a stored file stays unless replaced.
    fields = [f for f in fields_for(request_type) if f.kind != FieldKind.FILE]
    kept, errors = custom_values_check(fields=fields, values=answers, for_submit=False)
    if errors:
        raise ValidationError(errors)
    live = {f.key for f in fields}
    old = (order.custom_values or {}) if order is not None else {}
    values["custom_values"] = {k: v for k, v in old.items() if k not in live} | kept
    values["request_type"] = request_type
    return values


def order_custom_value_errors(*, order: Order) -> dict[str, str]:
    """What the order's custom answers still lack for a submission, by field key
    (a built-in type's order is checked against that type's fields)."""
    request_type = order.request_type if order.request_type_id else None
    if request_type is None and order.order_type != "request":
        request_type = _builtin_type(order.order_type)
    if request_type is None:
        return {}
    fields = fields_for(request_type)
    _, errors = custom_values_check(
        fields=fields, values=order.custom_values or {}, for_submit=True
    )
    return errors


def answer_text(field: CustomField | None, value) -> str:
    """An answer as a person reads it."""
    if isinstance(value, dict):
        return str(value.get("name") or value.get("filename") or "")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field is not None and field.kind == FieldKind.YES_NO:
        return {"yes": "Yes", "no": "No"}.get(value, str(value))
    if field is not None and field.kind == FieldKind.DATE:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return _day(day)
    return str(value)


def custom_answers(*, order: Order, fields: list[CustomField] | None = None) -> list[dict]:
    """Every answer of the order, in form order; removed fields' answers too."""
    values = order.custom_values or {}
    if not values:
        return []
    if fields is None:
        fields = fields_for(order.request_type, include_archived=True)
    rows, seen = [], set()
    for field in fields:
        if field.key in values:
            seen.add(field.key)
            value = values[field.key]
            rows.append(
                {
                    "key": field.key,
                    "label": field.label,
                    "text": answer_text(field, value),
                    "removed": field.archived_at is not None,
                    "attachment_id": value.get("attachment_id")
                    if isinstance(value, dict)
                    else None,
                }
            )
    for key in sorted(set(values) - seen):
        rows.append(
            {
                "key": key,
                "label": key.replace("_", " ").capitalize(),
                "text": answer_text(None, values[key]),
                "removed": True,
                "attachment_id": None,
            }
        )
    return rows


__all__ = [
    "answer_text",
    "custom_answers",
    "custom_files_store",
    "custom_values_check",
    "fields_for",
    "fields_shown",
    "order_custom_value_errors",
    "value_errors",
]
