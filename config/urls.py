from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("refresh/", include("refresh.urls")),
    path("orders/", include("orders.urls")),
    path("notifications/", include("notifications.urls")),
    path("integrations/", include("integrations.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Handover administration"
admin.site.site_title = "Handover admin"
