"""Every module readable in one sitting: no project .py file over 400 lines.

A module past the limit becomes a package with the same import path, split by
concern, whose ``__init__`` re-exports what callers use (docs/architecture.md,
"Inside an app"). The test walks the checkout (application code, tests,
benchmarks, ``config/``...) so no merge can quietly regrow a module; it skips
migrations (generated) and virtualenvs. It needs no database.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400

# Folders never scanned: generated code, installed packages, caches, local data.
SKIPPED_DIRS = {"migrations", ".venv", "venv", "node_modules", "__pycache__", "var", ".git"}

# Files allowed over the limit for a while, each with the reason (none today). An
# entry that no longer names a file over the limit fails `test_exemptions_are_still_needed`,
# so the list only shrinks: delete the line once the split has landed.
EXEMPT: dict[str, str] = {}


def python_files(root: Path):
    """Every project .py file under ``root`` (relative posix path, path)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(folder, name)
                yield path.relative_to(root).as_posix(), path


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def too_long(root: Path, exempt=()) -> list[str]:
    """``"path (N lines)"`` for every module over the limit, longest first."""
    found = [
        (count, rel)
        for rel, path in python_files(root)
        if rel not in exempt and (count := line_count(path)) > MAX_LINES
    ]
    return [f"{rel} ({count} lines)" for count, rel in sorted(found, reverse=True)]


def test_no_module_over_400_lines():
    offenders = too_long(ROOT, exempt=EXEMPT)
    assert not offenders, (
        f"Modules over {MAX_LINES} lines: {', '.join(offenders)}. Split each into a package "
        "by concern whose __init__ re-exports what callers import (docs/architecture.md)."
    )


def test_exemptions_are_still_needed():
    stale = [
        rel for rel in EXEMPT if not (ROOT / rel).is_file() or line_count(ROOT / rel) <= MAX_LINES
    ]
    assert not stale, f"Remove from EXEMPT in tests/test_structure.py (split now): {stale}"


def test_the_check_names_a_long_module_and_skips_migrations(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "site.py").write_text("x = 1\n" * 900)

    assert too_long(tmp_path) == [f"app/long.py ({MAX_LINES + 1} lines)"]
    assert too_long(tmp_path, exempt={"app/long.py": "why"}) == []
