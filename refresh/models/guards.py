"""Conditions and permissions of the refresh ticket transitions (pure: no I/O).

``refresh.services`` reads them to say why a transition is refused.
"""

from refresh.choices import RefreshStyle


def _is_config_approver(instance, user) -> bool:
    """Approvers act only on tickets of configs that name them (superusers on any)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("refresh.approve_refreshticket"):
        return False
    return instance.config.approvers.filter(pk=user.pk).exists()


def _has_replacement(instance) -> bool:
    return instance.replacement_system_id is not None


def _has_delivery_details(instance) -> bool:
    """Remote tickets need a full shipping address; other styles need nothing more."""
    if instance.style != RefreshStyle.REMOTE:
        return True
    return all(
        (
            instance.ship_to_name,
            instance.ship_street,
            instance.ship_city,
            instance.ship_state,
            instance.ship_zip,
        )
    )


def _was_held(instance) -> bool:
    return bool(instance.status_before_hold)
