from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh_dashboard, name="refresh_dashboard"),
    path("orders/", views.orders_dashboard, name="orders_dashboard"),
    path("export/<slug:list_name>.<slug:fmt>", views.export, name="export"),
    path("views/new/", views.saved_view_create, name="saved_view_create"),
    path("views/<int:pk>/", views.saved_view_detail, name="saved_view"),
    path("views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("subscriptions/<int:pk>/stop/", views.subscription_stop, name="subscription_stop"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("end-of-life/", views.forecast, name="forecast"),
    path("end-of-life/batch/", views.forecast_batch, name="forecast_batch"),
    path("end-of-life/policies/", views.lifecycle_policy, name="lifecycle_policy"),
    path(
        "end-of-life/policies/<int:pk>/delete/",
        views.lifecycle_policy_delete,
        name="lifecycle_policy_delete",
    ),
    path("end-of-life/import/", views.systems_import, name="systems_import"),
]
