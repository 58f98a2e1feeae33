"""Demo API keys with well-known tokens, so README's curl examples work after `make run`."""

from accounts.models import User

from .models import ApiKey
from .services import api_key_create

DEMO_KEYS = [
    # (user, key name, token) — demo data only; never seed these in production.
    (
        "refresh.admin@example.edu",
        "Demo asset inventory",
        "hov_demorefresh_handover-demo-key-refresh-admin",
    ),
    (
        "coordinator@med.example.edu",
        "Demo HR system",
        "hov_democoordinator_handover-demo-key-coordinator",
    ),
]


def seed(*, out) -> list[str]:
    lines = ["", "Demo API keys (Authorization: Bearer <key>; see README 'Use the API'):"]
    for email, name, token in DEMO_KEYS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        prefix = token.removeprefix("hov_").split("_", 1)[0]
        if not ApiKey.objects.filter(prefix=prefix).exists():
            api_key_create(user=user, name=name, token=token)
        lines.append(f"  {email:<38} {token}")
    return lines
