"""Orders over the API: ``serializers`` (shapes; portal input and service errors) and
``views`` (the ``OrderViewSet`` that ``api.urls`` registers)."""

from .serializers import (
    DetailsSerializer,
    MessagePostSerializer,
    MessageSerializer,
    OrderActionSerializer,
    OrderCreateSerializer,
    OrderDetailSerializer,
    OrderSerializer,
)
from .views import ORDER_FILTERS, OrderViewSet

__all__ = [
    "ORDER_FILTERS",
    "DetailsSerializer",
    "MessagePostSerializer",
    "MessageSerializer",
    "OrderActionSerializer",
    "OrderCreateSerializer",
    "OrderDetailSerializer",
    "OrderSerializer",
    "OrderViewSet",
]
