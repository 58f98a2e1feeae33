from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("itsm/", views.itsm_stub, name="itsm_stub"),
    path("jobs/run/", views.job_run, name="job_run"),
    path("itsm/tickets/<int:pk>/", views.itsm_stub_ticket, name="itsm_stub_ticket"),
    path(
        "itsm/tickets/<int:pk>/status/",
        views.itsm_stub_ticket_status,
        name="itsm_stub_ticket_status",
    ),
    path("itsm/assets/", views.itsm_stub_asset, name="itsm_stub_asset"),
    path("itsm/outage/", views.itsm_stub_outage, name="itsm_stub_outage"),
    path(
        "itsm/create-timeout/",
        views.itsm_stub_create_timeout,
        name="itsm_stub_create_timeout",
    ),
    path("effects/", views.effects_list, name="effects"),
    path("effects/<int:pk>/retry/", views.effect_retry, name="effect_retry"),
]
