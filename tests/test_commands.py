"""Every command the README and docs tell people to run, run as a person runs it.

Each test starts ``python manage.py ...`` in a fresh interpreter (nothing
imported or registered by the warm test process) against a migrated database:
the test database on PostgreSQL, a fresh SQLite file migrated by the first
command otherwise. The child runs tasks eagerly (``CELERY_TASK_ALWAYS_EAGER``)
as ``run_job`` does, and a command that exits non-zero fails the test.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import User
from config.celery import app as celery_app
from orders.models import Order
from scheduling.models import ScheduleSlot
from scheduling.services import slot_preference_create

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.commands, pytest.mark.django_db(transaction=True)]

# Variables of the test process that must not leak into the child's settings.
_UNSET = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _database_url(tmp_path: Path) -> tuple[str, bool]:
    """(URL of a database the child may use, whether it still needs ``migrate``)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        port = db["PORT"] or 5432
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}", False
    return f"sqlite:///{tmp_path / 'commands.sqlite3'}", True


@pytest.fixture
def manage(tmp_path):
    """manage("name", *args) -> CompletedProcess; asserts the command succeeded."""
    url, needs_migrate = _database_url(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(
        DATABASE_URL=url,
        DEBUG="true",
        CELERY_TASK_ALWAYS_EAGER="true",
        HANDOVER_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(ROOT),
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (
            f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stderr[-4000:]}"
        )
        return result

    run.migrated = not needs_migrate
    if needs_migrate:
        run("migrate", "--noinput")
    return run


def test_migrate_leaves_nothing_to_apply(manage):
    # The database is migrated already (by the test runner, or by the fixture's
    # first migrate on SQLite): a second migrate finds nothing to do.
    assert "No migrations to apply" in manage("migrate", "--noinput").stdout


def test_check_finds_no_issues(manage):
    assert "System check identified no issues" in manage("check").stdout


def test_run_job_lists_every_job(manage):
    out = manage("run_job").stdout
    for name in celery_app.conf.beat_schedule:
        assert name in out


@pytest.mark.parametrize("job", sorted(celery_app.conf.beat_schedule))
def test_run_job_runs_each_job_in_a_fresh_process(manage, job):
    result = manage("run_job", job)
    assert f"{job}: " in result.stdout


def test_seed_demo_loads_the_demo_and_a_second_run_changes_nothing(manage):
    first = manage("seed_demo")
    assert "Demo data is ready." in first.stdout
    if not manage.migrated:
        return  # SQLite: the child's database is not the one this process reads
    users, orders = User.objects.count(), Order.objects.count()
    assert User.objects.filter(email="admin@example.edu", is_superuser=True).exists()
    assert orders > 0
    manage("seed_demo")
    assert (User.objects.count(), Order.objects.count()) == (users, orders)


def test_generate_schedule_slots_makes_slots_from_preferences(manage, support_team):
    if not manage.migrated:
        assert "Generated 0 schedule slot(s)." in manage("generate_schedule_slots").stdout
        return  # SQLite: the child's database is not the one this process reads
    slot_preference_create(team=support_team, weekday=0, start_time=dt.time(9))
    result = manage("generate_schedule_slots", "--today", "2026-11-23")
    made = ScheduleSlot.objects.filter(team=support_team).count()
    assert made >= 4  # every Monday of the five weeks ahead that is a business day
    assert f"Generated {made} schedule slot(s)." in result.stdout
    assert (
        "Generated 0 schedule slot(s)."
        in manage("generate_schedule_slots", "--today", "2026-11-23").stdout
    )


def test_orders_purge_secrets(manage):
    assert "Purged 0 end-user secret(s)." in manage("orders_purge_secrets").stdout


def test_orders_run_automation(manage):
    assert "order(s) looked at." in manage("orders_run_automation").stdout


def test_seed_scale_adds_tickets_and_orders_in_bulk(manage):
    from refresh.models import RefreshTicket

    result = manage("seed_scale", "--tickets", "120", "--orders", "90", "--batch", "50")
    assert "Added 120 tickets and 90 orders" in result.stdout
    if not manage.migrated:
        return  # SQLite: the child's database is not the one this process reads
    tagged = Order.objects.filter(organization__name__startswith="Scale ")
    assert tagged.count() == 90
    assert RefreshTicket.objects.filter(config__name__startswith="Scale ").count() == 120
    # Realistic: most orders finished, some open and waiting on a step, unique numbers.
    assert tagged.filter(status="completed").count() > 45
    assert tagged.filter(status__in=["submitted", "in_progress"]).exists()
    assert tagged.values("number").distinct().count() == 90
    # A second run adds more under a new tag.
    manage("seed_scale", "--orders", "10")
    assert Order.objects.filter(organization__name__startswith="Scale ").count() == 100
