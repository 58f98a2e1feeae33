"""Settings come from the environment and refuse to run production without a secret."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


_UNSET = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "HANDOVER_VAR_DIR",
}


def _clean_env() -> dict[str, str]:
    """This process's environment without the variables the settings read."""
    return {k: v for k, v in os.environ.items() if k not in _UNSET}


def _run(code: str, *, argv=("-c",), **env_overrides) -> subprocess.CompletedProcess:
    """``python -c code`` (or ``python *argv code``) in a fresh interpreter at the repo root."""
    env = {**_clean_env(), "HANDOVER_VAR_DIR": str(ROOT / "var"), **env_overrides}
    return subprocess.run(
        [sys.executable, *argv, code],
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


def test_production_settings_do_not_relax_when_pytest_is_imported():
    result = _run("import pytest, config.settings", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_importing_the_settings_creates_no_directory(tmp_path):
    var = tmp_path / "not-there"
    code = "import config.settings as s; print(s.VAR_DIR); print(s.CELERY_BROKER_URL)"
    result = _run(code, DEBUG="true", HANDOVER_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(var), "filesystem://"]
    assert not var.exists()


def test_the_var_helper_makes_the_folders_the_embedded_mode_writes(tmp_path):
    var = tmp_path / "var"
    result = _run("config.var", argv=("-m",), DEBUG="true", HANDOVER_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert (var / "celery" / "broker").is_dir()
    assert (var / "celery" / "processed").is_dir()


def test_dot_env_is_read_before_any_variable(tmp_path):
    # A copy of config/ beside its own .env: the .env names the var directory.
    shutil.copytree(ROOT / "config", tmp_path / "config")
    var = tmp_path / "from-dot-env"
    (tmp_path / ".env").write_text(f"DEBUG=true\nHANDOVER_VAR_DIR={var}\n")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.VAR_DIR, s.MEDIA_ROOT)"],
        cwd=tmp_path,
        env={**_clean_env(), "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(var), str(var / "media")]


def test_pytest_runs_on_the_test_settings(settings):
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings_test"
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_production_templates_are_parsed_once_per_process():
    # Django wraps the loaders in its cached loader when settings name none;
    # a `loaders` option without it would parse every template on every request.
    code = (
        "import os, django;"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "django.setup();"
        "from django.template import engines;"
        "print(*[e.engine.loaders[0][0] for e in engines.all()])"
    )
    result = _run(code, DEBUG="false", SECRET_KEY="a-long-random-production-secret-" + "x" * 30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.template.loaders.cached.Loader"] * 2
