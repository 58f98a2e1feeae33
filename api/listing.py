"""Fast list pages: rows read with ``.values()`` and shaped by the serializer's own fields.

A list page of 50 rows through a ``ModelSerializer`` builds a model instance per
row and per joined relation and walks every dotted source attribute; at 100k
rows that Python work, not the database, was most of the API's list time
(docs/performance-api.md). Here the page is one ``.values()`` query that
selects only the columns the serializer shows (no unused joins, no unused
annotations of the domain selector), and each value goes through the same
serializer field's ``to_representation``, so the JSON is exactly what the
serializer gives (``tests/api/test_list_rows.py`` compares both) and the
OpenAPI schema still comes from the serializer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from rest_framework import serializers


@dataclass(frozen=True)
class Computed:
    """A field no column holds: ``build`` gets the values of ``columns`` in order."""

    columns: tuple[str, ...]
    build: Callable[..., object]


@dataclass
class ListRows:
    """How ``serializer_class``'s fields map onto ``.values()`` columns.

    Each field reads the column named by its ``source`` (``user.email`` →
    ``user__email``) unless ``computed`` says otherwise. ``extra`` columns are
    read but not shown (the cursor's ``id``).
    """

    serializer_class: type[serializers.Serializer]
    computed: dict[str, Computed] = field(default_factory=dict)
    extra: tuple[str, ...] = ("id",)

    def __post_init__(self):
        self._plan = None

    def _fields(self):
        if self._plan is None:
            plan = []
            for name, serializer_field in self.serializer_class().fields.items():
                if name in self.computed:
                    plan.append((name, None, self.computed[name]))
                else:
                    plan.append((name, serializer_field, "__".join(serializer_field.source_attrs)))
            self._plan = plan
        return self._plan

    @property
    def columns(self) -> list[str]:
        columns = list(self.extra)
        for _name, _field, source in self._fields():
            wanted = source.columns if isinstance(source, Computed) else (source,)
            columns += [c for c in wanted if c not in columns]
        return columns

    def queryset(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` reading only the columns the rows show."""
        return queryset.values(*self.columns)

    def represent(self, rows: Iterable[dict]) -> list[dict]:
        plan = self._fields()
        shaped = []
        for row in rows:
            item = {}
            for name, serializer_field, source in plan:
                if serializer_field is None:
                    item[name] = source.build(*(row[c] for c in source.columns))
                else:
                    value = row[source]
                    item[name] = (
                        None if value is None else serializer_field.to_representation(value)
                    )
            shaped.append(item)
        return shaped


# ``list`` through ``list_rows`` (a ``ListRows``) instead of model instances. (No
# docstrings here: drf-spectacular would show them as every operation's description.)
class FastListMixin:
    list_rows: ListRows

    def list(self, request, *args, **kwargs):
        queryset = self.list_rows.queryset(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.list_rows.represent(page))
