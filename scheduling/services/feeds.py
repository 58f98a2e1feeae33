"""Calendar feed secrets: made once, stored hashed, revocable."""

from __future__ import annotations

from django.db import transaction

from notifications.links import hash_token

from ..models import CalendarFeedToken
from ..models import _new_feed_token as new_feed_token


@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """Make the person's calendar feed secret and return it (the only time it is known).

    Stored hashed; an earlier secret stops working (calendars subscribed with it
    stop updating).
    """
    token = new_feed_token()
    CalendarFeedToken.objects.filter(user=user).delete()
    CalendarFeedToken.objects.create(user=user, token_hash=hash_token(token))
    return token


def calendar_feed_revoke(*, user) -> bool:
    """Turn the person's feed off; True if there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return bool(deleted)
