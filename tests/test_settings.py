"""Settings come from the environment and refuse to run production without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    env["HANDOVER_VAR_DIR"] = str(ROOT / "var")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_is_an_error(tmp_path):
    result = _run("import config.settings", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    code = (
        "import os, django, sys;"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    result = _run(
        code,
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="handover.example.edu",
        # Handover's own deploy checks (common/checks.py) want these too.
        EMAIL_BACKEND="anymail.backends.amazon_ses.EmailBackend",
        CACHE_URL="redis://127.0.0.1:6379/1",
        FERNET_KEYS="iC5nB7mJ3oKQ0mJrWcS0xw6bq5y5nQmC2p9yRkWzW3M=",
    )
    assert result.returncode == 0, result.stderr
