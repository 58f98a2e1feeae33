"""Cursor pagination on every list: stable under inserts, constant cost at any depth."""

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    """Newest first by id (unique and indexed), so a deep cursor is an index range scan."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
