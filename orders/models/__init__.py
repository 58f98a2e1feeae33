"""The orders app's models (a package: one module per concern, one import path)."""

from .catalog import InstallableSoftware, OrderActionTemplate, OrderNumberCounter, OrderQueue
from .messages import OrderAttachment, OrderMessage, OrderSubscription, validate_attachment_size
from .order import Order, OrderAction, OrderAudit
from .records import EndUserSecret, OrderITSMTicket, WorkstationPlaceholder
from .request_types import AssignmentRule, CustomField, RequestType
from .responses import CannedResponse
from .time import TimeEntry
from .validators import (
    FIRST_ORDER_NUMBER,
    USERNAME_RE,
    username_validator,
    workstation_validator,
)

__all__ = [
    "CannedResponse",
    "FIRST_ORDER_NUMBER",
    "USERNAME_RE",
    "EndUserSecret",
    "InstallableSoftware",
    "Order",
    "OrderAction",
    "OrderActionTemplate",
    "OrderAttachment",
    "OrderAudit",
    "OrderITSMTicket",
    "OrderMessage",
    "OrderNumberCounter",
    "OrderQueue",
    "OrderSubscription",
    "RequestType",
    "TimeEntry",
    "AssignmentRule",
    "CustomField",
    "WorkstationPlaceholder",
    "username_validator",
    "validate_attachment_size",
    "workstation_validator",
]
