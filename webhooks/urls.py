from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.delivery_list, name="delivery_list"),
    path("endpoints/new/", views.endpoint_create, name="endpoint_create"),
    path("endpoints/<int:pk>/", views.endpoint_edit, name="endpoint_edit"),
    path("deliveries/<int:pk>/redeliver/", views.delivery_redeliver, name="redeliver"),
]
