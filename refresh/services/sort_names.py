"""Keep the tickets' user and team sort keys when a person or team is renamed.

The keys (``refresh.models.sort_keys``) copy a name so that the staff list can
sort 100k tickets through an index. The accounts app cannot call refresh (it is
below it), so ``refresh.apps`` connects ``post_save`` of ``User`` and
``SupportTeam`` to these two functions: an optional reaction that keeps a copy
in step, not domain flow (docs/architecture.md, Signals). A bulk ``.update()``
of names bypasses ``post_save``; nothing in the project does one.
"""

from __future__ import annotations

from refresh.models import RefreshTicket
from refresh.models.sort_keys import team_sort_name, user_sort_name

# Saves that cannot change a key (the sign-in's ``last_login``) skip the UPDATE.
USER_NAME_FIELDS = frozenset({"full_name", "email"})
TEAM_NAME_FIELDS = frozenset({"name"})


def tickets_user_renamed(*, user, update_fields=None) -> int:
    """Give ``user``'s tickets the key of their current name; returns how many changed.

    One UPDATE over the user's tickets (the ``user`` foreign key's index) that
    touches only rows whose key differs.
    """
    if update_fields is not None and not USER_NAME_FIELDS & set(update_fields):
        return 0
    key = user_sort_name(user)
    return (
        RefreshTicket.objects.filter(user=user)
        .exclude(user_sort_name=key)
        .update(user_sort_name=key)
    )


def tickets_team_renamed(*, team, update_fields=None) -> int:
    """Give ``team``'s tickets the key of its current name; returns how many changed."""
    if update_fields is not None and not TEAM_NAME_FIELDS & set(update_fields):
        return 0
    key = team_sort_name(team)
    return (
        RefreshTicket.objects.filter(support_team=team)
        .exclude(team_sort_name=key)
        .update(team_sort_name=key)
    )
