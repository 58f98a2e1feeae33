"""The ticket list's sort keys for its joined columns (issue #17).

Sorting 100k tickets by ``user__full_name`` or ``support_team__name`` joins and
sorts every ticket: the foreign keys are nullable, so PostgreSQL cannot walk the
users' or teams' index into the tickets. The ticket therefore keeps a copy of
each name, lower-cased, indexed with its tie-breakers (``ticket_meta``).

Who keeps them: ``refresh.services.tickets.creation.build_ticket`` (every new
ticket), ``ticket_apply_owner_lookup`` and ``ticket_admin_update`` (a changed user
or team), and ``refresh.services.sort_names`` for a renamed user or team
(``post_save`` receivers in ``refresh.apps``). No user or no team: ``None``, which
PostgreSQL sorts last in ascending order, as the joined sort did.
"""

from __future__ import annotations

# Room for a whole email address (EmailField's 254) or team name (120).
SORT_NAME_LENGTH = 254


def user_sort_name(user) -> str | None:
    """The key a ticket of ``user`` sorts under: the name the list shows, lower-cased."""
    if user is None:
        return None
    return (user.full_name or user.email).lower()[:SORT_NAME_LENGTH]


def team_sort_name(team) -> str | None:
    if team is None:
        return None
    return team.name.lower()[:SORT_NAME_LENGTH]
