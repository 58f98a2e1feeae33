"""The project's URLs plus two views that fail, for the 500 page tests."""

from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urls


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("boom/", _boom, name="test_boom"),
    path("api/v1/boom/", _boom, name="test_api_boom"),
    *project_urls,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
