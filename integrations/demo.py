"""Demo state of the ITSM stub: the replacement systems TeamDynamix already knows.

``refresh/demo.py`` keeps 40 stock systems ``NEW00001``–``NEW00040`` and hands
them out in order as replacements. The stub knows all of them except
``NEW00003`` and ``NEW00004`` (the last pending-existence ticket and the one
whose lookup failed): make those "exist" on the stub page to watch the
existence lookup move their tickets on.
"""

from .models import StubITSMAsset

STOCK = 40
LEFT_FOR_THE_DEMO = {"NEW00003", "NEW00004"}


def seed(*, out) -> list[str]:
    serials = [f"NEW{n:05d}" for n in range(1, STOCK + 1)]
    known = set(
        StubITSMAsset.objects.filter(serial_number__in=serials).values_list(
            "serial_number", flat=True
        )
    )
    StubITSMAsset.objects.bulk_create(
        [
            StubITSMAsset(
                serial_number=serial,
                name=f"Replacement {serial}",
                location="Device depot, 2200 Packard St",
            )
            for serial in serials
            if serial not in known and serial not in LEFT_FOR_THE_DEMO
        ]
    )
    return [
        "ITSM stub: /integrations/itsm/ (refresh administrators and managers) — "
        "make NEW00003 or NEW00004 exist to see the existence lookup find it; "
        "flip tickets to installed/closed for the polling job; time out the next create to "
        "watch a retry find the saved ticket. `manage.py itsm_check` checks the configured ITSM.",
    ]
