"""Reads of the shared pieces (the effects outbox)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from common.models import Effect, EffectStatus

# An effect is "stuck" once it has failed at least this often, or is this overdue.
FAILING_ATTEMPTS = 2
OVERDUE = timedelta(minutes=5)


def _needing_attention(now) -> Q:
    return (
        Q(status=EffectStatus.FAILED)
        | Q(status=EffectStatus.PENDING, attempts__gte=FAILING_ATTEMPTS)
        | Q(status=EffectStatus.PENDING, next_attempt_at__lt=now - OVERDUE)
        | Q(status=EffectStatus.RUNNING, lease_until__lt=now)
    )


def effects_needing_attention() -> QuerySet[Effect]:
    """Failed effects, effects that keep failing, and effects overdue or abandoned
    by a dead worker; the most recently changed first."""
    return (
        Effect.objects.filter(_needing_attention(timezone.now()))
        .select_related("retried_by")
        .order_by("-updated_at", "-id")
    )


def effects_failing_for(*, target_kind: str, task_prefix: str = "") -> QuerySet[Effect]:
    """The effects about ``target_kind`` objects that failed, keep failing, or were
    abandoned (use ``.values("target_id")`` as a subquery, or filter by OuterRef)."""
    effects = Effect.objects.filter(
        _needing_attention(timezone.now()), target_kind=target_kind
    ).exclude(status=EffectStatus.PENDING, attempts__lt=FAILING_ATTEMPTS)
    if task_prefix:
        effects = effects.filter(task_name__startswith=task_prefix)
    return effects
