"""Pagination for big staff lists: flat cost at any table size.

Django's ``Paginator`` recounts the whole filtered table on every request and
slices the full queryset, so per-row extras (``Subquery`` annotations, joins)
are computed for every row OFFSET skips. ``ShownRowsPaginator`` instead

* takes the page's primary keys through a narrow query (the list's filters and
  ordering only: no joined columns, no per-row annotations), then loads the
  full rows, annotations and joins for those keys only;
* caches the count per query for ``COUNT_TTL`` seconds in a namespace that
  services drop on every write that moves rows between lists
  (``counts_changed("orders")``), like the refresh list's status counts.

``cached_value(namespace, key, compute)`` caches other totals (status tabs,
queue counts) the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from common.cache import cache_get, cache_set, cache_version_bump

# A process with its own cache sees other processes' writes at most this late.
COUNT_TTL = 30


def _version_key(namespace: str) -> str:
    return f"list-counts-version:{namespace}"


def counts_changed(namespace: str) -> None:
    """Forget every cached count and total of ``namespace`` (call on writes)."""
    # Now and after commit, retried; a cache outage never fails the write.
    cache_version_bump(_version_key(namespace))


def _cache_key(namespace: str, key: str) -> str:
    version = cache_get(_version_key(namespace)) or "0"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"list-counts:{namespace}:{version}:{digest}"


def cached_value(namespace: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached under ``key`` until ``counts_changed(namespace)`` or the TTL."""
    full_key = _cache_key(namespace, key)
    value = cache_get(full_key)  # None also when the cache is down: count again
    if value is None:
        value = compute()
        cache_set(full_key, value, timeout=COUNT_TTL, attempts=1)
    return value


def _query_key(queryset) -> str | None:
    """The SQL and parameters of ``queryset`` (None when it can match nothing)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"{queryset.db}|{sql}|{params!r}"


class CachedCountPaginator(Paginator):
    """A ``Paginator`` whose count is cached per query in ``namespace``."""

    def __init__(self, object_list, per_page, *, namespace: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.namespace = namespace

    @cached_property
    def count(self) -> int:
        key = _query_key(self.object_list)
        if key is None:
            return 0
        return cached_value(self.namespace, "count|" + key, self.object_list.count)


class ShownRowsPaginator(CachedCountPaginator):
    """A ``CachedCountPaginator`` whose pages compute extras only for the rows
    shown: one query for the page's keys, then ``load_rows(keys)`` (a dict of
    pk -> row; by default the list's own queryset filtered to those keys)."""

    def __init__(self, object_list, per_page, *, namespace: str, load_rows=None, **kwargs):
        super().__init__(object_list, per_page, namespace=namespace, **kwargs)
        self.load_rows = load_rows or (
            lambda keys: {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # The cached count may lag a write: take what is there, up to a page
        # (plus orphans on the last page), rather than trust it for the slice.
        size = self.per_page + (self.orphans if number == self.num_pages else 0)
        keys = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + size])
        rows = self.load_rows(keys) if keys else {}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)
