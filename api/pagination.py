"""Cursor pagination on every list: stable under inserts, constant cost at any depth."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    """Newest first by id (unique and indexed), so a deep cursor is an index range scan."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = "This cursor is not one the API gave out; start from the first page."

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # a malformed cursor is bad input, not a missing page
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from exc
