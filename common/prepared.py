"""Querysets whose SQL the ORM compiles once per process (issue #17).

Compiling a queryset to SQL is pure Python work that gives the same text on
every request: for the order page's order (eleven joins, a deferred column
list, an ``EXISTS``) it cost 1.3 ms of CPU, more than PostgreSQL took to run
it, and the detail pages' queries together about a quarter of the page.

``Prepared(build)`` calls ``build`` with marker values in place of the
request's values, compiles the queryset once per database alias, and then runs
that SQL with each request's values through the ORM's own iterables, so rows
come back exactly as the queryset would return them (model instances with their
``select_related`` objects and annotations, ``values_list`` tuples, converters
applied; ``prefetch_related`` lookups still run as usual).

It is safe only for queries whose SQL does not depend on the values, so the
first compilation checks that: ``build`` runs twice with different markers, and
the two SQL texts must be the same and every other parameter equal (a value
computed in ``build``, such as the current time, would differ and is refused).
The markers are integers: use it for equality lookups by id or number (a
value beyond a 64-bit integer matches no row, as the ORM's lookups say).
"""

from __future__ import annotations

import copy
import inspect
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from common.statements import ServerStatement

# Two sets of markers, far from any real id or number in this project.
_FIRST, _SECOND = 1_987_650_000, 1_987_660_000
# Slices compiled per query (LIMIT and OFFSET are part of the SQL text): the first
# pages of a timeline are what people read; a deeper one replaces the oldest kept.
_SLICES_KEPT = 16
_numbers = itertools.count(1)
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1  # PostgreSQL's bigint


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, bool], ...]  # (position in params, value's name, as text)
    statement: ServerStatement

    def run(self, alias: str, values: dict) -> list:
        params = list(self.params)
        for position, name, as_text in self.slots:
            params[position] = str(values[name]) if as_text else values[name]
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[alias]  # this thread's connection
        sql = self.statement.sql_for(compiler.connection) or self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = self.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


class Prepared:
    """``build(**values)`` compiled once; ``all(**values)`` runs it with new values."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.names = tuple(inspect.signature(build).parameters)
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()
        self._number = next(_numbers)

    def all(self, *, rows: slice | None = None, **values: int) -> list:
        """The rows ``build(**values)`` returns, in its order (``rows``: a slice of them,
        as slicing the queryset would read)."""
        if set(values) != set(self.names) or not all(type(v) is int for v in values.values()):
            raise TypeError(f"{self.build.__qualname__} takes the integers {self.names}")
        if not all(_SMALLEST <= v <= _LARGEST for v in values.values()):
            # No id or number is that large (a URL can say anything): the ORM's
            # integer lookups find nothing for it, where the database would refuse it.
            return []
        key = (DEFAULT_DB_ALIAS, rows and (rows.start, rows.stop))
        compiled = self._compiled.get(key) or self._compile(key, rows)
        return compiled.run(DEFAULT_DB_ALIAS, values)

    def first(self, **values: int):
        """The first row, or None."""
        rows = self.all(rows=slice(0, 1), **values)
        return rows[0] if rows else None

    def bind(self, **values: int) -> Bound:
        return Bound(self, values)

    def _queryset(self, values: dict, rows: slice | None) -> QuerySet:
        queryset = self.build(**values)
        return queryset if rows is None else queryset[rows]

    def _compile(self, key: tuple, rows: slice | None) -> _Compiled:
        alias, where = key[0], self.build.__qualname__
        first = {name: _FIRST + i for i, name in enumerate(self.names)}
        second = {name: _SECOND + i for i, name in enumerate(self.names)}
        queryset = self._queryset(first, rows)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = self._queryset(second, rows).query.get_compiler(alias).as_sql()
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(f"{where}: its SQL depends on the values.")
        slots = []
        for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
            slot = _slot(position, (one, two), first, second)
            if slot:
                slots.append(slot)
            elif one != two:
                raise ImproperlyConfigured(
                    f"{where}: parameter {position} changes between compilations "
                    f"({one!r}, {two!r}); compute it in SQL or pass it in."
                )
        if {name for _, name, _ in slots} != set(self.names):
            raise ImproperlyConfigured(f"{where}: every value must reach the SQL.")
        bounds = "_".join(str(n) for n in (rows.start or 0, rows.stop)) if rows else "all"
        statement = ServerStatement(f"handover_{self._number}_{bounds}", sql, tuple(params))
        compiled = _Compiled(queryset, compiler, sql, tuple(params), tuple(slots), statement)
        with self._lock:
            if len(self._compiled) >= _SLICES_KEPT:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[key] = compiled
        return compiled


def _slot(position: int, pair: tuple, first: dict, second: dict):
    """(position, name, as text) when ``pair`` is a value's two markers, as given or
    as text (a text column compared with an id), else None."""
    for name in first:
        if pair == (first[name], second[name]):
            return position, name, False
        if pair == (str(first[name]), str(second[name])):
            return position, name, True
    return None


@dataclass(frozen=True)
class Bound:
    """A prepared query with its values, read like a queryset: ``bound[a:b]`` reads
    those rows (a timeline page), iterating reads them all."""

    prepared: Prepared
    values: dict

    def __getitem__(self, rows: slice) -> list:
        if not isinstance(rows, slice) or rows.step is not None:
            raise TypeError("Read a prepared query by a slice without a step.")
        return self.prepared.all(rows=rows, **self.values)

    def __iter__(self):
        return iter(self.prepared.all(**self.values))


def prefetched_set(obj, name: str, rows: list) -> None:
    """Give ``obj.<name>.all()`` the ``rows`` read already (a reverse foreign key),
    as ``prefetch_related`` would: no query when the page reads them, and each row's
    link back to ``obj`` set."""
    manager = getattr(obj, name)
    for row in rows:
        manager.field.set_cached_value(row, obj)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
