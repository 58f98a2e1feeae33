"""Run any job of the beat schedule now, in this process: ``manage.py run_job NAME``."""

from django.core.management.base import BaseCommand, CommandError

from common.tasks import task_by_name
from config.celery import app


class Command(BaseCommand):
    help = "Run one periodic job (a beat schedule entry) synchronously. Without NAME, list them."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Beat entry name, e.g. refresh-invites")

    def handle(self, *args, name=None, **options):
        schedule = app.conf.beat_schedule
        if not name:
            for entry, spec in sorted(schedule.items()):
                self.stdout.write(f"{entry:<32} {spec['schedule']}")
            return
        if name not in schedule:
            raise CommandError(f"No job named {name!r}. Jobs: {', '.join(sorted(schedule))}.")
        task = task_by_name(schedule[name]["task"])  # imports every tasks module if needed
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = True  # what the job enqueues runs here too
        try:
            result = task.apply(throw=True).get()
        finally:
            app.conf.task_always_eager = previous
        self.stdout.write(self.style.SUCCESS(f"{name}: {result}"))
