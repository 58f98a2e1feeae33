"""Pick an adapter implementation by dotted path, like EMAIL_BACKEND."""

from functools import cache

from django.utils.module_loading import import_string


@cache
def _load(dotted_path: str):
    return import_string(dotted_path)


def load_client(dotted_path: str):
    """An instance of the class at ``dotted_path`` (constructed with no arguments)."""
    return _load(dotted_path)()
