from .audits import RefreshConfigAudit, RefreshTicketAudit, RefreshTicketEvent
from .catalog import HardwareModel, Peripheral, PeripheralBundle, SoftwareTitle
from .configs import RefreshBatch, RefreshBatchRow, RefreshConfig
from .systems import System
from .tickets import RefreshTicket

__all__ = [
    "HardwareModel",
    "Peripheral",
    "PeripheralBundle",
    "RefreshBatch",
    "RefreshBatchRow",
    "RefreshConfig",
    "RefreshConfigAudit",
    "RefreshTicket",
    "RefreshTicketAudit",
    "RefreshTicketEvent",
    "SoftwareTitle",
    "System",
]
