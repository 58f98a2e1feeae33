"""Saved views (a staff list's filters under a name) and subscriptions to them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from accounts.roles import Role
from reports.choices import Frequency
from reports.exports import SPECS
from reports.models import ReportSubscription, SavedView
from reports.roles import can_save_views
from reports.selectors import saved_view_visible_to


def _clean_query(list_name: str, query: str) -> str:
    params = QueryDict(query or "", mutable=True)
    params.pop("page", None)
    return params.urlencode()


@transaction.atomic
def saved_view_create(
    *, owner, name: str, list_name: str, query: str, shared_with_role: str = ""
) -> SavedView:
    """Save a list's filters under a name; private unless shared with a role.

    Only people who may see the list save it; a role shared with must exist.
    """
    spec = SPECS.get(list_name)
    if spec is None:
        raise ValidationError({"list_name": "This list cannot be saved."})
    if not (can_save_views(owner) and spec.allowed(owner)):
        raise PermissionDenied("You cannot save views of this list.")
    if shared_with_role and shared_with_role not in Role.values:
        raise ValidationError({"shared_with_role": "Choose a role."})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the view a name."})
    if SavedView.objects.filter(owner=owner, list_name=list_name, name=name).exists():
        raise ValidationError({"name": "You already have a saved view with this name."})
    return SavedView.objects.create(
        owner=owner,
        name=name,
        list_name=list_name,
        query=_clean_query(list_name, query),
        shared_with_role=shared_with_role,
    )


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, actor) -> None:
    """Only the owner (or a superuser) deletes a view; its subscriptions go with it."""
    if not (actor.is_superuser or saved_view.owner_id == actor.pk):
        raise PermissionDenied("Only the owner deletes a saved view.")
    saved_view.delete()


@transaction.atomic
def subscription_create(
    *, saved_view: SavedView, subscriber, frequency: str, send_time: dt.time, actor
) -> ReportSubscription:
    """Subscribe ``subscriber`` (the actor or other staff) to a saved view.

    The actor must see the view; the subscriber must be allowed the list (their
    own access decides which rows each report holds). One live subscription per
    person and view.
    """
    spec = SPECS[saved_view.list_name]
    if not saved_view_visible_to(saved_view=saved_view, user=actor):
        raise PermissionDenied("You cannot see this saved view.")
    if not (subscriber.is_active and spec.allowed(subscriber)):
        raise ValidationError(
            {"subscriber": f"{subscriber.display_name} cannot see the {spec.title.lower()} list."}
        )
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose daily or weekly."})
    try:
        with transaction.atomic():
            return ReportSubscription.objects.create(
                saved_view=saved_view,
                subscriber=subscriber,
                frequency=frequency,
                send_time=send_time,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"subscriber": f"{subscriber.display_name} already receives this report."}
        ) from exc


@transaction.atomic
def subscription_cancel(*, subscription: ReportSubscription) -> bool:
    """Stop a subscription (unsubscribe link or page); False when already stopped."""
    return bool(
        ReportSubscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    )
