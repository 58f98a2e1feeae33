"""Reads of the shared pieces (the effects outbox)."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.utils import timezone

from common.models import Effect, EffectStatus
from common.pagination import ShownRowsPaginator, counts_changed

# The cache namespace of the effects page's count (common.pagination).
EFFECT_COUNTS = "effects"
EFFECTS_PAGE_SIZE = 50


def effect_counts_changed() -> None:
    """Forget the effects page's cached count (an effect finished or was retried)."""
    counts_changed(EFFECT_COUNTS)


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


def effects_attention_page(*, number) -> Page:
    """Page ``number`` of ``effects_needing_attention``, flat at any size.

    Done effects (nearly all of them) are excluded outright, so the page's keys
    come from the partial index ``effect_open_updated`` (not done, newest change
    first, with the filter's columns): an index-only walk, then the 50 shown.
    "Now" is taken to the minute, so the cached count (dropped when an effect
    fails, finishes after failing, or is retried) is shared for that minute.
    """
    now = timezone.now().replace(second=0, microsecond=0)
    keys = (
        Effect.objects.filter(_needing_attention(now))
        .exclude(status=EffectStatus.DONE)
        .order_by("-updated_at", "-id")
    )
    return ShownRowsPaginator(
        keys,
        EFFECTS_PAGE_SIZE,
        namespace=EFFECT_COUNTS,
        load_rows=lambda ids: {
            e.pk: e for e in Effect.objects.filter(pk__in=ids).select_related("retried_by")
        },
    ).get_page(number)


def effects_failing_for(*, target_kind: str, task_prefix: str = "") -> QuerySet[Effect]:
    """The effects about ``target_kind`` objects that failed, keep failing, or were
    abandoned (use ``.values("target_id")`` as a subquery, or filter by OuterRef)."""
    effects = Effect.objects.filter(
        _needing_attention(timezone.now()), target_kind=target_kind
    ).exclude(status=EffectStatus.PENDING, attempts__lt=FAILING_ATTEMPTS)
    if task_prefix:
        effects = effects.filter(task_name__startswith=task_prefix)
    return effects
