from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from django.db.models.signals import post_save

        from orders.models import OrderAudit
        from refresh.models import RefreshTicketAudit
        from scheduling.models import Booking

        from . import receivers

        # Listed in docs/architecture.md and docs/api.md ("Signals").
        post_save.connect(receivers.order_audit_saved, sender=OrderAudit, dispatch_uid="wh-order")
        post_save.connect(
            receivers.ticket_audit_saved, sender=RefreshTicketAudit, dispatch_uid="wh-ticket"
        )
        post_save.connect(receivers.booking_saved, sender=Booking, dispatch_uid="wh-booking")
