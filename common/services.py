"""Writes shared by every app's services."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models


def display_value(value: Any) -> str:
    """A field value as a person reads it in an audit row ("—" for empty)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def model_update(
    *,
    instance: models.Model,
    data: dict[str, Any],
    actor=None,
    audit: Callable[[dict[str, list[str]]], Any] | None = None,
    m2m_fields: Iterable[str] = (),
    clean: bool = False,
) -> tuple[models.Model, dict[str, list[str]]]:
    """Set the fields of ``data`` that differ, save only those, audit the change.

    Fields whose value is already the same are left alone; nothing is saved
    when nothing changed. Many-to-many fields named in ``m2m_fields`` are
    compared as sets and ``.set()`` after the save. ``audit`` (when given and
    something changed) is called once with ``{field: [before, after]}`` as
    text and writes the caller's audit row; ``actor`` is for the caller's
    audit function and kept here so every call site names who acted.
    Returns ``(instance, changes)``. Runs inside the caller's transaction.
    """
    del actor  # named at every call site; the audit callable records it
    m2m = set(m2m_fields)
    changes: dict[str, list[str]] = {}
    update_fields: list[str] = []
    m2m_updates: dict[str, list] = {}
    for name, new in data.items():
        if name in m2m:
            manager = getattr(instance, name)
            before = set(manager.all()) if instance.pk else set()
            after = set(new)
            if before != after:
                changes[name] = [display_value(before), display_value(after)]
                m2m_updates[name] = list(after)
            continue
        field = instance._meta.get_field(name)
        old = getattr(instance, field.attname if not field.is_relation else name)
        if old == new:
            continue
        changes[name] = [display_value(old), display_value(new)]
        setattr(instance, name, new)
        update_fields.append(field.attname if field.is_relation else name)
    if not changes:
        return instance, changes
    if clean:
        instance.full_clean(exclude=list(m2m))
    if update_fields:
        if instance.pk:
            if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
                update_fields.append("updated_at")
            instance.save(update_fields=update_fields)
        else:
            instance.save()
    for name, values in m2m_updates.items():
        getattr(instance, name).set(values)
    if audit is not None:
        audit(changes)
    return instance, changes
