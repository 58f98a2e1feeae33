from django.core.management.base import BaseCommand

from orders.services import order_actions_advance, order_actions_sweep


class Command(BaseCommand):
    help = "Run the waiting automated order actions now (the beat job enqueues the same)."

    def handle(self, *args, **options):
        order_ids = order_actions_sweep()
        for order_id in order_ids:
            outcome = order_actions_advance(order_id=order_id)
            self.stdout.write(
                f"order id {order_id}: ran {', '.join(outcome.ran) or 'nothing'}"
                + (f"; retry in {outcome.retry_in}s" if outcome.retry_in else "")
            )
        self.stdout.write(f"{len(order_ids)} order(s) looked at.")
