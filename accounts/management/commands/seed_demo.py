"""Load realistic demo data. Idempotent: running it again changes nothing.

Every app may provide ``<app>/demo.py`` with ``seed(*, out) -> list[str]``; the
apps run in INSTALLED_APPS order (accounts first, so people exist) and the
lines they return are printed at the end: demo logins, customer links.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load idempotent demo data for every app and print demo logins and links."

    def handle(self, *args, **options):
        notes: list[str] = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                lines = module.seed(out=self.stdout) or []
            self.stdout.write(f"  seeded {config.label}")
            notes.extend(lines)
        self.stdout.write(self.style.SUCCESS("\nDemo data is ready.\n"))
        for line in notes:
            self.stdout.write(line)
