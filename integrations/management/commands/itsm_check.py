"""``manage.py itsm_check``: is the configured ITSM reachable and does it know our IDs?

With TeamDynamix it signs in and reads the tenant's statuses, types, forms,
priorities, sources, groups, accounts, locations and custom attributes, then
prints every configured ID as found or missing with its TDX name. With the
stub it checks the stub. Exits non-zero when anything is missing, so it can
gate a deployment.
"""

import inspect

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Sign in to the configured ITSM and check every configured ID against it."
    requires_system_checks = []  # runs to explain exactly what the deploy check refuses

    def handle(self, *args, **options):
        cls = import_string(settings.ITSM_CLIENT)
        # The real client refuses to start while IDs are missing; here we want the list.
        accepts_validate = "validate" in inspect.signature(cls).parameters
        client = cls(validate=False) if accepts_validate else cls()
        report = client.check_configuration()
        self.stdout.write(f"ITSM: {report.service}")
        self.stdout.write(f"Signed in: {'yes' if report.signed_in else 'no'}")
        width = max((len(line.setting) for line in report.lines), default=0)
        for line in report.lines:
            mark = self.style.SUCCESS("found  ") if line.found else self.style.ERROR("MISSING")
            key = f"[{line.key}]" if line.key else ""
            arrow = f" → {line.maps_to}" if line.maps_to else ""
            self.stdout.write(f"  {mark} {line.setting:<{width}} {key} = {line.value}{arrow}")
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"  problem: {problem}"))
        missing = [line for line in report.lines if not line.found]
        if not report.ok:
            raise CommandError(
                f"{len(missing)} configured value(s) missing and {len(report.problems)} "
                "problem(s); see docs/integrations.md (Connecting TeamDynamix)."
            )
        self.stdout.write(self.style.SUCCESS("Everything configured exists."))
