from django.apps import AppConfig


class RefreshConfig(AppConfig):
    name = "refresh"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from accounts.models import SupportTeam
        from notifications.resend import link_purpose_register

        from . import receivers
        from .customer.links import PURPOSES, link_closed_reason

        for purpose in PURPOSES:
            link_purpose_register(
                purpose,
                closed_reason=lambda ticket, purpose=purpose: link_closed_reason(purpose, ticket),
            )
        # The tickets' sort keys follow a renamed user or team (refresh.services.sort_names).
        post_save.connect(
            receivers.user_saved, sender=get_user_model(), dispatch_uid="refresh-user-sort-name"
        )
        post_save.connect(
            receivers.team_saved, sender=SupportTeam, dispatch_uid="refresh-team-sort-name"
        )
