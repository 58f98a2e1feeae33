"""Writes for refresh configs: every create and edit leaves an audit row."""

from __future__ import annotations

from django.db import transaction

from common.services import display_value, model_update
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import RefreshConfig, RefreshConfigAudit

M2M_FIELDS = ("approvers", "approved_models", "approved_peripherals", "software_catalog")


def _config_state(config: RefreshConfig) -> str:
    return "active" if config.active else "inactive"


def config_audit(
    *, config: RefreshConfig, actor, action: str, changes: dict, source: str = ""
) -> RefreshConfigAudit:
    """One audit row for a config change (``changes`` is ``{field: [before, after]}``)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return RefreshConfigAudit.objects.create(
        config=config,
        actor=user,
        actor_job="" if user else "system",
        transition=action,
        from_status=source,
        to_status=_config_state(config),
        changes=changes,
    )


@transaction.atomic
def config_save(*, actor, data: dict, config: RefreshConfig | None = None) -> RefreshConfig:
    """Create (``config`` None) or update a refresh config from cleaned form data.

    A config that requires approval must name at least one approver. Existing
    tickets keep their style; option changes apply to wizards from now on. An
    edit saves only the fields that changed and writes one audit row with each
    field's before and after (nothing when nothing changed); a create writes a
    "create" row with the starting values.
    """
    perm = "refresh.change_refreshconfig" if config else "refresh.add_refreshconfig"
    if actor is not None and not actor.has_perm(perm):
        raise TransitionDenied("You may not edit refresh configs.")
    if data.get("requires_approval") and not data.get("approvers"):
        raise RefreshError("Name at least one approver when approval is required.")
    if config is None:
        return _config_create(actor=actor, data=data)
    # Compare with the stored row, not the caller's instance: a ModelForm has
    # already copied the new values onto its instance while validating.
    config = RefreshConfig.objects.select_for_update().get(pk=config.pk)
    source = _config_state(config)
    config, _changes = model_update(
        instance=config,
        data=data,
        actor=actor,
        m2m_fields=[name for name in M2M_FIELDS if name in data],
        clean=True,
        audit=lambda changes: config_audit(
            config=config, actor=actor, action="edit", changes=changes, source=source
        ),
    )
    return config


def _config_create(*, actor, data: dict) -> RefreshConfig:
    config = RefreshConfig(**{k: v for k, v in data.items() if k not in M2M_FIELDS})
    config.full_clean(exclude=list(M2M_FIELDS))
    config.save()
    for name in M2M_FIELDS:
        if name in data:
            getattr(config, name).set(data[name])
    changes = {
        name: ["—", display_value(value)]
        for name, value in data.items()
        if display_value(value) != "—"
    }
    config_audit(config=config, actor=actor, action="create", changes=changes)
    return config
