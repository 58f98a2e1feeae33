from django.urls import path  # noqa: F401

# Customer-facing pages reached from emailed links (/refresh/c/<token>/...).
urlpatterns = []
