from django.urls import include, path

from .views import portal

app_name = "orders"
urlpatterns = [
    path("", portal.portal_list, name="portal_list"),
    path("new/", portal.portal_new, name="portal_new"),
    path("new/<slug:order_type>/", portal.portal_create, name="portal_create"),
    path("<int:number>/", portal.portal_detail, name="portal_detail"),
    path("<int:number>/edit/", portal.portal_edit, name="portal_edit"),
    path("<int:number>/reply/", portal.portal_reply, name="portal_reply"),
    path("<int:number>/withdraw/", portal.portal_cancel, name="portal_cancel"),
    path("<int:number>/attachments/<int:pk>/", portal.portal_attachment, name="portal_attachment"),
    path("finish/<str:token>/", portal.finish_link, name="finish_link"),
    path("l/<str:token>/", portal.enduser_link, name="enduser_link"),
    path("account/<str:token>/", portal.account_access, name="account_access"),
    path("staff/", include("orders.staff_urls")),
]
