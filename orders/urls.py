from django.urls import include, path

app_name = "orders"
urlpatterns = [
    path("staff/", include("orders.staff_urls")),
]
