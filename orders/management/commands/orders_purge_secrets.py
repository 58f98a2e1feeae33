from django.core.management.base import BaseCommand

from orders.services import enduser_secrets_purge_expired


class Command(BaseCommand):
    help = "Purge end-user passwords past END_USER_SECRET_RETENTION_DAYS (also a beat job)."

    def handle(self, *args, **options):
        total = 0
        while True:
            count = enduser_secrets_purge_expired()
            total += count
            if not count:
                break
        self.stdout.write(f"Purged {total} end-user secret(s).")
