"""The local directories the embedded mode writes to, made by the processes that write.

Settings only name paths (``VAR_DIR``, the SQLite file, the filesystem broker's
folders, the beat schedule); importing them creates nothing. ``manage.py``, the
Celery worker and beat, and ``bin/run-dev`` call :func:`ensure_var_dirs` before
they start writing. ``python -m config.var`` does the same from a shell.
"""

from __future__ import annotations

from pathlib import Path

_done = False


def var_dirs() -> list[Path]:
    """Every directory the configured settings will write into."""
    from django.conf import settings

    dirs = [Path(settings.VAR_DIR)]
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        dirs.append(Path(database["NAME"]).parent)
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                dirs.append(Path(options[key]))
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE_FILENAME", "")
    if schedule:
        dirs.append(Path(schedule).parent)
    return dirs


def ensure_var_dirs() -> list[Path]:
    """Create the directories of :func:`var_dirs` (once per process); returns them."""
    global _done
    dirs = var_dirs()
    if not _done:
        for path in dirs:
            path.mkdir(parents=True, exist_ok=True)
        _done = True
    return dirs


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for made in ensure_var_dirs():
        print(made)  # noqa: T201
