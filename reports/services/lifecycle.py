"""Lifecycle policies (when systems reach end of life) and "start a refresh batch" from a
forecast cell."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from refresh.services import batch_create
from reports.choices import LifecycleBasis
from reports.forecast import forecast_cell_serials
from reports.models import LifecyclePolicy
from reports.roles import can_manage_lifecycle


@transaction.atomic
def lifecycle_policy_save(
    *, actor, basis: str, months: int, hardware_model=None, platform: str = ""
) -> LifecyclePolicy:
    """Create or replace the policy of a hardware model or of a platform (one of the two)."""
    if not can_manage_lifecycle(actor):
        raise PermissionDenied("Only refresh administrators change lifecycle policies.")
    if bool(hardware_model) == bool(platform):
        raise ValidationError("Choose either a hardware model or a platform.")
    if basis not in LifecycleBasis.values:
        raise ValidationError({"basis": "Choose how systems reach end of life."})
    if not 1 <= months <= 240:
        raise ValidationError({"months": "Give between 1 and 240 months."})
    lookup = {"hardware_model": hardware_model} if hardware_model else {"platform": platform}
    policy, _ = LifecyclePolicy.objects.update_or_create(
        **lookup, defaults={"basis": basis, "months": months}
    )
    return policy


@transaction.atomic
def lifecycle_policy_delete(*, actor, policy: LifecyclePolicy) -> None:
    if not can_manage_lifecycle(actor):
        raise PermissionDenied("Only refresh administrators change lifecycle policies.")
    policy.delete()


@transaction.atomic
def forecast_batch_start(
    *, actor, group: str, key: str, quarter: str, name: str, config, support_team=None
):
    """Create a refresh batch of exactly the systems in one forecast cell (through
    ``refresh.services.batch_create``); its page previews and creates the tickets."""
    serials = forecast_cell_serials(group=group, key=key, quarter=quarter)
    if not serials:
        raise ValidationError("No systems reach end of life in this cell.")
    return batch_create(
        name=name,
        config=config,
        serials_text="\n".join(serials),
        actor=actor,
        support_team=support_team,
    )
