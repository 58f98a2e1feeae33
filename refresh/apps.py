from django.apps import AppConfig


class RefreshConfig(AppConfig):
    name = "refresh"

    def ready(self):
        from notifications.resend import link_purpose_register

        from .customer.links import PURPOSES, link_closed_reason

        for purpose in PURPOSES:
            link_purpose_register(
                purpose,
                closed_reason=lambda ticket, purpose=purpose: link_closed_reason(purpose, ticket),
            )
