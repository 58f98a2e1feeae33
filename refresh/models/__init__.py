from .catalog import HardwareModel, Peripheral, PeripheralBundle, SoftwareTitle
from .configs import RefreshBatch, RefreshBatchRow, RefreshConfig
from .systems import System
from .tickets import RefreshTicket, RefreshTicketAudit, RefreshTicketEvent

__all__ = [
    "HardwareModel",
    "Peripheral",
    "PeripheralBundle",
    "RefreshBatch",
    "RefreshBatchRow",
    "RefreshConfig",
    "RefreshTicket",
    "RefreshTicketAudit",
    "RefreshTicketEvent",
    "SoftwareTitle",
    "System",
]
