from django.urls import include, path

app_name = "refresh"
urlpatterns = [
    # Customer pages reached from emailed links; owned by refresh/customer/.
    path("c/", include("refresh.customer.urls")),
]
