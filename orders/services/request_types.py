"""Request types and the requests made of them: staff define the types and their
fields; coordinators (or staff) fill the form; staff edit answers (audited).

Submission is ``order_submit`` (the one path): the request type's queue, the
assignment rules, the custom answers' required check and the queue's actions.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from orders.choices import OrderStatus, OrderType
from orders.exceptions import OrderError
from orders.models import CustomField, Order, RequestType
from orders.request_choices import FieldKind

from ._core import order_audit_add, order_draft_lock, order_lock, order_number_allocate
from .custom_fields import answer_text, custom_files_store, custom_values_check, fields_for
from .drafts import order_submit

# Names the built-in forms use; a custom field's key may not take one.
RESERVED_KEYS = frozenset(
    {
        "notes",
        "requested_completion_date",
        "intent",
        "new_full_name",
        "new_username",
        "new_email",
        "distribution_groups",
        "shared_mailboxes",
        "preferences",
        "existing_user",
        "existing_placeholder",
        "replacing",
        "workstation",
        "software",
        "csrfmiddlewaretoken",
    }
)
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "request"
    slug, n = base, 2
    while RequestType.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def request_type_save(
    *, request_type: RequestType | None = None, data: dict, organizations=(), actor=None
) -> RequestType:
    """Create a request type or change one; listed organizations replace the old list.

    A built-in type keeps its ``builtin_type``; its name and presentation change.
    """
    del actor  # the admin log and the staff page name who; kept for the call sites
    data = {k: v for k, v in data.items() if k not in ("builtin_type", "slug", "organizations")}
    if request_type is None:
        request_type = RequestType(**data)
        request_type.slug = _unique_slug(data.get("name", ""))
    else:
        for name, value in data.items():
            setattr(request_type, name, value)
    request_type.full_clean(exclude=["organizations"])
    request_type.save()
    request_type.organizations.set(list(organizations))
    if not request_type.all_organizations and not request_type.organizations.exists():
        raise ValidationError(
            {"organizations": "List the organizations that may use it, or allow all."}
        )
    return request_type


def _field_key(label: str, request_type: RequestType, wanted: str = "") -> str:
    base = (wanted or slugify(label).replace("-", "_"))[:50] or "field"
    if not base[0].isalpha():
        base = f"f_{base}"
    key, n = base, 2
    taken = set(CustomField.objects.filter(request_type=request_type).values_list("key", flat=True))
    while key in taken or key in RESERVED_KEYS:
        key, n = f"{base}_{n}", n + 1
    return key


def _clean_choices(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [v.strip() for v in value or [] if v and v.strip()]


@transaction.atomic
def custom_field_add(*, request_type: RequestType, data: dict) -> CustomField:
    """A new field at the end of the type's form (its key is made from the label)."""
    data = dict(data)
    data["choices"] = _clean_choices(data.get("choices"))
    wanted = data.pop("key", "") or ""
    if wanted and (not KEY_RE.match(wanted) or wanted in RESERVED_KEYS):
        raise ValidationError({"key": "Use lowercase letters, digits and underscores."})
    last = (
        CustomField.objects.filter(request_type=request_type)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    field = CustomField(
        request_type=request_type,
        key=_field_key(data.get("label", ""), request_type, wanted),
        position=data.pop("position", None) or (last or 0) + 1,
        **data,
    )
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def custom_field_update(*, field: CustomField, data: dict) -> CustomField:
    """Change a field's label, help, rules or place; its key (where answers live) stays."""
    data = {k: v for k, v in data.items() if k not in ("key", "request_type")}
    if "choices" in data:
        data["choices"] = _clean_choices(data["choices"])
    for name, value in data.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def custom_field_remove(*, field: CustomField) -> CustomField:
    """Take a field off the form; requests that answered it keep their answers."""
    if field.archived_at is None:
        field.archived_at = timezone.now()
        field.save(update_fields=["archived_at"])
    return field


def request_type_usable(*, request_type: RequestType, organization) -> bool:
    """May requests of ``organization`` use this type (all, or a listed one or below)?"""
    if not request_type.active:
        return False
    if request_type.all_organizations:
        return True
    listed = set(request_type.organizations.values_list("id", flat=True))
    current = organization
    seen = set()
    while current is not None and current.pk not in seen:
        if current.pk in listed:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


@transaction.atomic
def request_save(
    *,
    request_type: RequestType,
    organization,
    author,
    values: dict,
    files: dict | None = None,
    notes: str = "",
    order: Order | None = None,
    submit: bool = False,
) -> Order:
    """Save a request of a staff-defined type (a new draft, or a draft changed), and
    submit it when ``submit``. Answers are checked on the server (only shown fields
    are kept); a failed submission keeps the draft and raises the reasons by field."""
    if request_type.is_builtin:
        raise OrderError(f"{request_type.name} requests use their own form.")
    if order is None and not request_type_usable(
        request_type=request_type, organization=organization
    ):
        raise OrderError(f"{request_type.name} requests are not offered to {organization}.")
    fields = fields_for(request_type)
    merged = dict(order.custom_values) if order is not None else {}
    # Only the form's own fields are replaced; stored files stay unless replaced.
    for field in fields:
        if field.kind == FieldKind.FILE:
            continue
        merged[field.key] = values.get(field.key)
    kept, errors = custom_values_check(fields=fields, values=merged, for_submit=False)
    for field in fields:  # files already stored stay attached
        if field.kind == FieldKind.FILE and field.key in merged and field.key not in errors:
            kept[field.key] = merged[field.key]
    if errors:
        raise ValidationError(errors)
    if order is None:
        order = Order.objects.create(
            number=order_number_allocate(),
            order_type=OrderType.REQUEST,
            request_type=request_type,
            organization=organization,
            submitted_by=author,
            notes=(notes or "").strip(),
            custom_values=kept,
        )
        order_audit_add(
            order=order,
            actor=author,
            transition="create",
            to_status=OrderStatus.DRAFT,
            note=f"{request_type.name} request started.",
        )
    else:
        order = order_draft_lock(order=order, noun="request")
        order.custom_values = kept
        order.notes = (notes or "").strip()
        order.save(update_fields=["custom_values", "notes", "updated_at"])
        order_audit_add(order=order, actor=author, transition="draft_edited", note="Draft changed.")
    file_errors = custom_files_store(
        order=order, author=author, fields=fields, files=files or {}, values=order.custom_values
    )
    if file_errors:
        raise ValidationError(file_errors)
    if files:
        order.save(update_fields=["custom_values", "updated_at"])
    if submit:
        order_submit(order=order, actor=author)
        order.refresh_from_db()
    return order


@transaction.atomic
def order_custom_values_update(*, order: Order, actor, values: dict) -> dict[str, list[str]]:
    """Staff change a request's answers: checked like the form, one audit row with
    the before/after of each changed answer. Files are not changed here."""
    order = order_lock(order_id=order.pk)
    if order.request_type_id is None:
        raise OrderError("This order has no custom fields.")
    fields = fields_for(order.request_type)
    merged = dict(order.custom_values or {})
    for field in fields:
        if field.kind != FieldKind.FILE and field.key in values:
            merged[field.key] = values[field.key]
    kept, errors = custom_values_check(
        fields=fields, values=merged, for_submit=order.status != OrderStatus.DRAFT
    )
    if errors:
        raise ValidationError(errors)
    live_keys = {f.key for f in fields}
    # Answers to removed fields (and files) are kept as they were.
    new_values = {k: v for k, v in (order.custom_values or {}).items() if k not in live_keys}
    for field in fields:
        if field.kind == FieldKind.FILE and field.key in merged:
            kept[field.key] = merged[field.key]
    new_values.update(kept)
    old_values = order.custom_values or {}
    changes = {}
    for field in fields:
        before, after = old_values.get(field.key), new_values.get(field.key)
        if before != after:
            changes[field.label] = [
                answer_text(field, before) if before not in (None, "", []) else "—",
                answer_text(field, after) if after not in (None, "", []) else "—",
            ]
    if not changes:
        return {}
    order.custom_values = new_values
    order.save(update_fields=["custom_values", "updated_at"])
    order_audit_add(
        order=order,
        actor=actor,
        transition="custom_values_edited",
        from_status=order.status,
        to_status=order.status,
        note=f"Answers changed: {', '.join(sorted(changes))}.",
        changes=changes,
    )
    return changes


__all__ = [
    "RESERVED_KEYS",
    "custom_field_add",
    "custom_field_remove",
    "custom_field_update",
    "order_custom_values_update",
    "request_save",
    "request_type_save",
    "request_type_usable",
]
