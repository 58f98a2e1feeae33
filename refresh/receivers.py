"""``post_save`` receivers (connected in ``refresh.apps``): the tickets' sort keys
follow a renamed user or team. Listed in docs/architecture.md, Signals."""

from __future__ import annotations


def user_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if created or raw:  # a new user has no tickets yet; fixtures load keys as they are
        return
    from refresh.services.sort_names import tickets_user_renamed

    tickets_user_renamed(user=instance, update_fields=update_fields)


def team_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if created or raw:
        return
    from refresh.services.sort_names import tickets_team_renamed

    tickets_team_renamed(team=instance, update_fields=update_fields)
