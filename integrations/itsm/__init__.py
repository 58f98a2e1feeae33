"""The ITSM adapter: ``get_itsm_client()`` returns the configured implementation."""

from django.conf import settings

from integrations.loading import load_client

from .protocol import (
    TITLE_MAX_LENGTH,
    CheckLine,
    CheckReport,
    ITSMAsset,
    ITSMAssetOwner,
    ITSMClient,
    ITSMError,
    ITSMNotFound,
    ITSMRateLimited,
    ITSMTask,
    ITSMTicket,
    ITSMTicketStatus,
    NewTicket,
    PermanentITSMError,
    TicketKind,
    TicketState,
    TransientITSMError,
)


def get_itsm_client() -> ITSMClient:
    return load_client(settings.ITSM_CLIENT)


__all__ = [
    "TITLE_MAX_LENGTH",
    "CheckLine",
    "CheckReport",
    "ITSMAsset",
    "ITSMAssetOwner",
    "ITSMClient",
    "ITSMError",
    "ITSMNotFound",
    "ITSMRateLimited",
    "ITSMTask",
    "ITSMTicket",
    "ITSMTicketStatus",
    "NewTicket",
    "PermanentITSMError",
    "TicketKind",
    "TicketState",
    "TransientITSMError",
    "get_itsm_client",
]
