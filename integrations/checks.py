"""Deploy check: TeamDynamix selected but the tenant's IDs not (all) configured.

``manage.py check --deploy`` reports the same list the client refuses to start
with, so a deployment fails before the first job does. With the stub (the
default) nothing is required.
"""

from django.conf import settings
from django.core import checks

TDX_CLIENT = "integrations.itsm.tdx.TDXClient"


@checks.register("integrations", deploy=True)
def tdx_configured(app_configs=None, **kwargs):
    if getattr(settings, "ITSM_CLIENT", "") != TDX_CLIENT:
        return []
    from integrations.itsm.tdx.config import TDXConfig

    return [
        checks.Error(
            f"TeamDynamix: {problem}.",
            hint="See docs/integrations.md (Connecting TeamDynamix); `manage.py itsm_check` "
            "shows what the tenant has.",
            id="integrations.E001",
        )
        for problem in TDXConfig.from_settings().problems()
    ]
