"""Refresh over the API, one module per resource: tickets (the staff list's filters,
staff actions), batches, configs and systems. ``api.urls`` registers the viewsets."""

from .batches import (
    BatchCreateSerializer,
    BatchReportSerializer,
    BatchRowSerializer,
    BatchSerializer,
    BatchViewSet,
)
from .systems import (
    ConfigSerializer,
    ConfigViewSet,
    SystemSerializer,
    SystemUpsertSerializer,
    SystemViewSet,
)
from .tickets import (
    ACTIONS,
    TICKET_FILTERS,
    BookSerializer,
    ReplacementSerializer,
    TicketDetailSerializer,
    TicketSerializer,
    TicketViewSet,
    TrackingSerializer,
)

__all__ = [
    "ACTIONS",
    "TICKET_FILTERS",
    "BatchCreateSerializer",
    "BatchReportSerializer",
    "BatchRowSerializer",
    "BatchSerializer",
    "BatchViewSet",
    "BookSerializer",
    "ConfigSerializer",
    "ConfigViewSet",
    "ReplacementSerializer",
    "SystemSerializer",
    "SystemUpsertSerializer",
    "SystemViewSet",
    "TicketDetailSerializer",
    "TicketSerializer",
    "TicketViewSet",
    "TrackingSerializer",
]
