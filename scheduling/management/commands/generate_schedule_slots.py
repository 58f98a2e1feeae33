import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from scheduling.services import slots_generate


class Command(BaseCommand):
    help = (
        "Create schedule slots from active preferences for every business day up to "
        "the horizon that was never generated for the team (safe to run any time)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Generate as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-11-23.") from exc
        created = slots_generate(today=today)
        self.stdout.write(self.style.SUCCESS(f"Generated {created} schedule slot(s)."))
