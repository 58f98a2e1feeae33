"""Writes for refresh configs."""

from __future__ import annotations

from django.db import transaction

from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import RefreshConfig

M2M_FIELDS = ("approvers", "approved_models", "approved_peripherals", "software_catalog")


@transaction.atomic
def config_save(*, actor, data: dict, config: RefreshConfig | None = None) -> RefreshConfig:
    """Create (``config`` None) or update a refresh config from cleaned form data.

    A config that requires approval must name at least one approver. Existing
    tickets keep their style; option changes apply to wizards from now on.
    """
    perm = "refresh.change_refreshconfig" if config else "refresh.add_refreshconfig"
    if actor is not None and not actor.has_perm(perm):
        raise TransitionDenied("You may not edit refresh configs.")
    if data.get("requires_approval") and not data.get("approvers"):
        raise RefreshError("Name at least one approver when approval is required.")
    config = config or RefreshConfig()
    for name, value in data.items():
        if name not in M2M_FIELDS:
            setattr(config, name, value)
    config.full_clean(exclude=list(M2M_FIELDS))
    config.save()
    for name in M2M_FIELDS:
        if name in data:
            getattr(config, name).set(data[name])
    return config
