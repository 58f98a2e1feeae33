from django.urls import path

from . import views

# Customer-facing pages reached from emailed links (/refresh/c/<token>/...).
urlpatterns = [
    path("<str:token>/", views.entry, name="customer_entry"),
    path("<str:token>/<slug:step>/", views.wizard_step, name="customer_step"),
]
