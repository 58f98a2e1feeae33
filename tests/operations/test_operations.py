"""Deploy checks, masked logs, request ids, health endpoints and Sentry, as run."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from celery import current_app
from cryptography.fernet import Fernet

from common.health import BEAT_KEY, HEARTBEAT_TASK, WORKER_KEY, heartbeat_task
from common.logging import redact, sentry_before_send

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zq3xV9_kP2mW7rT5yB8nC4dF6gH1jL0aS-eU"

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdefghij",
    "ALLOWED_HOSTS": "handover.example.edu",
    "EMAIL_BACKEND": "anymail.backends.amazon_ses.EmailBackend",
    "CACHE_URL": "redis://127.0.0.1:6379/2",
    "FERNET_KEYS": Fernet.generate_key().decode(),
}


def run_manage(*args, env: dict, tmp_path) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HANDOVER_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestDeployChecks:
    def test_production_settings_pass_at_warning_level(self, tmp_path):
        result = run_manage(
            "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
        )
        assert result.returncode == 0, result.stderr + result.stdout

    def test_console_email_local_cache_no_keys_and_half_sso_are_refused(self, tmp_path):
        env = {
            **PRODUCTION,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "FERNET_KEYS": "",
            "OIDC_ISSUER_URL": "https://idp.example.edu",
        }
        del env["CACHE_URL"]
        result = run_manage("check", "--deploy", env=env, tmp_path=tmp_path)
        assert result.returncode != 0
        for check_id in ["handover.E001", "handover.E002", "handover.E003", "handover.E004"]:
            assert check_id in result.stderr, check_id
        assert "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET missing" in result.stderr

    def test_debug_keeps_the_console_email_for_make_run(self, tmp_path):
        env = {"DEBUG": "true", "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        result = run_manage("check", "--deploy", env=env, tmp_path=tmp_path)
        assert "handover.E001" not in result.stderr


class TestLogs:
    @pytest.fixture
    def console(self):
        handler = next(h for h in logging.getLogger().handlers if h.name == "console")
        stream = io.StringIO()
        previous = handler.setStream(stream)
        yield stream
        handler.setStream(previous)

    def test_token_paths_are_masked_in_request_logs(self, client, db, console):
        response = client.get(f"/refresh/c/{TOKEN}/", HTTP_X_REQUEST_ID="req-12345678")
        assert response.status_code in (404, 410)
        output = console.getvalue()
        assert "/refresh/c/[redacted]/" in output
        assert TOKEN not in output
        assert "[req-12345678]" in output

    def test_redaction_keeps_ordinary_paths(self):
        assert redact("GET /orders/12/edit/ 200") == "GET /orders/12/edit/ 200"
        assert redact(f"GET /accounts/password/reset/key/{TOKEN}/ 200") == (
            "GET /accounts/password/reset/key/[redacted]/ 200"
        )
        assert redact(f"/scheduling/feed.ics?token={TOKEN}") == (
            "/scheduling/feed.ics?token=[redacted]"
        )

    def test_sentry_events_are_masked(self):
        event = {"request": {"url": f"https://h.example.edu/refresh/c/{TOKEN}/"}}
        assert TOKEN not in sentry_before_send(event, {})["request"]["url"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_masks_tokens(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        "PATH": os.environ["PATH"],
        "HANDOVER_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "true",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log),
            "config.wsgi:application",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/refresh/c/{TOKEN}/", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        request_id = response.headers["X-Request-ID"]
        deadline = time.monotonic() + 10
        while "refresh/c" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "nothing in the access log"
            time.sleep(0.2)
        line = log.read_text()
        assert "/refresh/c/[redacted]/" in line
        assert TOKEN not in line
        assert request_id in line
    finally:
        process.terminate()
        process.wait(timeout=10)


class TestRequestId:
    def test_every_response_carries_one(self, client, db):
        first = client.get("/accounts/login/")["X-Request-ID"]
        second = client.get("/accounts/login/")["X-Request-ID"]
        assert len(first) == 32
        assert first != second

    def test_a_sane_incoming_id_is_kept_and_an_odd_one_replaced(self, client, db):
        kept = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-abc-123456")
        assert kept["X-Request-ID"] == "lb-abc-123456"
        odd = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nforged log line")
        assert odd["X-Request-ID"] != "bad id\nforged log line"


class TestHealth:
    def test_web_health_checks_database_cache_and_broker(self, client, db):
        response = client.get("/health/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert any("Database" in name for name in body)
        assert any("Cache" in name for name in body)
        assert any("Broker" in name for name in body)

    def test_full_health_fails_without_worker_and_beat_then_passes(self, client, db):
        response = client.get("/health/full/", HTTP_ACCEPT="application/json")
        # 503 (a dependency is down), not 500 (a bug); the failing checks are named.
        assert response.status_code == 503
        assert response["X-Health-Failing"] == "WorkerHeartbeat, BeatLastRun"
        body = response.json()
        assert body["WorkerHeartbeat()"] == "Unavailable: Worker heartbeat: never seen"
        assert "OK" in body.values()  # the database and the cache are fine
        text = client.get("/health/full/", HTTP_ACCEPT="text/plain")
        assert text.status_code == 503
        expected = "WorkerHeartbeat(): Unavailable: Worker heartbeat: never seen"
        assert expected in text.content.decode()

        heartbeat_task()  # what a worker does every minute
        current_app.send_task(HEARTBEAT_TASK)  # what beat does: publish it
        response = client.get("/health/full/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content

    def test_stale_stamps_fail(self, client, db):
        from django.core.cache import cache

        cache.set(WORKER_KEY, time.time() - 3600)
        cache.set(BEAT_KEY, time.time())
        response = client.get("/health/full/", HTTP_ACCEPT="application/json")
        assert response.status_code == 503
        assert response["X-Health-Failing"] == "WorkerHeartbeat"
        assert "last seen" in response.content.decode()


def test_sentry_is_on_only_with_a_dsn(tmp_path):
    code = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"
    base = {
        "PATH": os.environ["PATH"],
        "HANDOVER_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    off = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True
    )
    on = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "SENTRY_DSN": "http://public@127.0.0.1:9/1"},
        capture_output=True,
        text=True,
    )
    assert off.stdout.strip() == "False", off.stderr
    assert on.stdout.strip() == "True", on.stderr
