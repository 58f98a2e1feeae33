from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from common.health import FULL_CHECKS, WEB_CHECKS, HealthView

# The admin signs in through the site's sign-in (rate limits, second factor);
# set before admin.site.urls reads it.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("refresh/", include("refresh.urls")),
    path("orders/", include("orders.urls")),
    path("notifications/", include("notifications.urls")),
    path("integrations/", include("integrations.urls")),
    path("api/v1/", include("api.urls")),
    path("account/api-keys/", include("api.account_urls")),
    path("webhooks/", include("webhooks.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    # Load balancer: this web process's own needs; monitoring: workers and beat too.
    path("health/", HealthView.as_view(checks=WEB_CHECKS), name="health"),
    path("health/full/", HealthView.as_view(checks=FULL_CHECKS), name="health_full"),
]

admin.site.site_header = "Handover administration"
admin.site.site_title = "Handover admin"

# Friendly error pages in the site's layout, with the person's navigation and a
# way back; under /api/ they answer problem+json like the rest of the API.
handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
handler500 = "config.error_views.server_error"
