"""/api/v1/: the routers of each area, the OpenAPI schema and its local docs."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from . import order_appointments, order_attachments, orders, refresh, request_types, scheduling

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("refresh/tickets", refresh.TicketViewSet, basename="ticket")
router.register("refresh/batches", refresh.BatchViewSet, basename="batch")
router.register("refresh/configs", refresh.ConfigViewSet, basename="config")
router.register("refresh/systems", refresh.SystemViewSet, basename="system")
router.register("orders", orders.OrderViewSet, basename="order")
router.register("request-types", request_types.RequestTypeViewSet, basename="request-type")
router.register("scheduling/slots", scheduling.SlotViewSet, basename="slot")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path(
        "orders/<int:number>/appointment/",
        order_appointments.OrderAppointmentView.as_view(),
        name="order-appointment",
    ),
    path(
        "orders/<int:number>/attachments/",
        order_attachments.attachment_list,
        name="order-attachments",
    ),
    path(
        "orders/<int:number>/attachments/<int:pk>/",
        order_attachments.attachment_download,
        name="order-attachment-download",
    ),
    path("", include(router.urls)),
]
